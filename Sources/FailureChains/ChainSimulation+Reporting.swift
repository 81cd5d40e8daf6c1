import SimulationKernel

extension ChainSimulation {
    /// Sends the rows of the interval that ends now to the sink and starts the next interval.
    func reportInterval(endingAt time: Instant) {
        let span = time - intervalStart
        guard span > .zero else { return }
        let seconds = Double(span.nanoseconds)
        var rows: [MetricRow] = []
        for serviceIndex in services.indices {
            let state = services[serviceIndex]
            var counters = Counters()
            var areas = LevelAreas()
            var latency = LatencyHistogram()
            for instance in state.instances {
                instances[instance].settle(at: time.nanoseconds, isPastWarmup: isPastWarmup)
                counters.add(instances[instance].interval)
                areas.add(instances[instance].intervalAreas)
                latency.merge(instances[instance].intervalLatency)
            }
            appendIntervalRows(to: &rows, component: state.spec.name, counters: counters, areas: areas,
                               latency: latency, span: seconds)
            rows.append(MetricRow(component: state.spec.name, metric: "instancesUp", value: .count(Int64(state.instances.count))))
            for instance in state.instances {
                appendIntervalRows(to: &rows, component: instances[instance].name, counters: instances[instance].interval,
                                   areas: instances[instance].intervalAreas, latency: instances[instance].intervalLatency, span: seconds)
                instances[instance].interval = Counters()
                instances[instance].intervalAreas = LevelAreas()
                instances[instance].intervalLatency.reset()
            }
        }
        for index in sources.indices {
            rows.append(MetricRow(component: sources[index].spec.name, metric: "offered", value: .count(sources[index].intervalOffered)))
            sources[index].intervalOffered = 0
        }
        for index in populations.indices {
            let counters = populations[index].interval
            let name = populations[index].spec.name
            rows.append(MetricRow(component: name, metric: "completed", value: .count(counters.completed)))
            rows.append(MetricRow(component: name, metric: "refused", value: .count(counters.refused)))
            if counters.completed > 0 {
                rows.append(MetricRow(component: name, metric: "responseTimeMean",
                                      value: .real(counters.latencySum / Double(counters.completed) / 1e9)))
            }
            populations[index].interval = Counters()
        }
        sink.intervalEnded(start: intervalStart, rows: rows)
        intervalStart = time
    }

    private func appendIntervalRows(to rows: inout [MetricRow], component: String, counters: Counters,
                                    areas: LevelAreas, latency: LatencyHistogram, span: Double) {
        rows.append(MetricRow(component: component, metric: "offered", value: .count(counters.offered)))
        rows.append(MetricRow(component: component, metric: "completed", value: .count(counters.completed)))
        rows.append(MetricRow(component: component, metric: "refused", value: .count(counters.refused)))
        if counters.completed > 0 {
            rows.append(MetricRow(component: component, metric: "latencyMean", value: .real(counters.latencySum / Double(counters.completed) / 1e9)))
            rows.append(MetricRow(component: component, metric: "latencyP50", value: .real(Double(latency.percentile(50)) / 1e9)))
            rows.append(MetricRow(component: component, metric: "latencyP95", value: .real(Double(latency.percentile(95)) / 1e9)))
            rows.append(MetricRow(component: component, metric: "latencyP99", value: .real(Double(latency.percentile(99)) / 1e9)))
        }
        rows.append(MetricRow(component: component, metric: "queueLength", value: .real(areas.queue / span)))
        rows.append(MetricRow(component: component, metric: "threadsBusy", value: .real(areas.busy / span)))
    }

    func endWarmup(at time: Instant) {
        for index in instances.indices {
            instances[index].settle(at: time.nanoseconds, isPastWarmup: false)
        }
        isPastWarmup = true
        sink.stateChanged(StateChange(time: time, component: model.name, event: "warmupEnded",
                                      detail: "summary counts from here"))
    }

    /// Closes the last interval, reports the cut-off, and computes the summary.
    func finish(_ outcome: RunOutcome) -> RunResult {
        let end = outcome.endTime
        reportInterval(endingAt: end)
        for index in instances.indices { instances[index].settle(at: end.nanoseconds, isPastWarmup: isPastWarmup) }
        let inFlight = requests.liveCount
        let detail: String
        switch outcome.stopReason {
        case .endTime: detail = "end of run; \(inFlight) requests in flight cut off"
        case .stopRequested: detail = "completion limit reached; \(inFlight) requests in flight cut off"
        case .exhausted: detail = "no events left; \(inFlight) requests in flight"
        case .eventLimit: detail = "event limit of \(model.run.maximumEvents) reached; run cut short with \(inFlight) requests in flight"
        }
        sink.stateChanged(StateChange(time: end, component: model.name, event: "runEnded", detail: detail))

        let measured = isPastWarmup ? end - (Instant.zero + model.run.warmup) : .zero
        return RunResult(outcome: outcome, summary: summaryRows(span: measured), inFlightAtEnd: inFlight, measuredSpan: measured)
    }

    private func summaryRows(span: Interval) -> [MetricRow] {
        let seconds = span.seconds
        let nanoseconds = Double(span.nanoseconds)
        var rows: [MetricRow] = []
        func add(_ component: String, _ metric: String, _ value: MetricValue) {
            rows.append(MetricRow(component: component, metric: metric, value: value))
        }
        func ratio(_ numerator: Double, _ denominator: Double) -> Double {
            denominator > 0 ? numerator / denominator : 0
        }
        func addCounts(_ component: String, _ counters: Counters, _ areas: LevelAreas, threads: Int) {
            add(component, "offered", .count(counters.offered))
            add(component, "completed", .count(counters.completed))
            add(component, "refused", .count(counters.refused))
            add(component, "refusedFraction", .real(ratio(Double(counters.refused), Double(counters.offered))))
            add(component, "throughput", .real(ratio(Double(counters.completed), seconds)))
            add(component, "waitMean", .real(ratio(counters.waitSum, Double(counters.started)) / 1e9))
            add(component, "waitProbability", .real(ratio(Double(counters.waited), Double(counters.started))))
            add(component, "latencyMean", .real(ratio(counters.latencySum, Double(counters.completed)) / 1e9))
            add(component, "threadsBusyMean", .real(ratio(areas.busy, nanoseconds)))
            add(component, "utilisation", .real(ratio(areas.busy, nanoseconds * Double(threads))))
            add(component, "queueLengthMean", .real(ratio(areas.queue, nanoseconds)))
        }
        for state in services {
            var counters = Counters()
            var areas = LevelAreas()
            for instance in state.instances {
                counters.add(instances[instance].total)
                areas.add(instances[instance].totalAreas)
            }
            let name = state.spec.name
            addCounts(name, counters, areas, threads: state.spec.threads * state.instances.count)
            if !state.totalLatency.isEmpty {  // no percentile of nothing: the rows are left out
                add(name, "latencyP50", .real(Double(state.totalLatency.percentile(50)) / 1e9))
                add(name, "latencyP95", .real(Double(state.totalLatency.percentile(95)) / 1e9))
                add(name, "latencyP99", .real(Double(state.totalLatency.percentile(99)) / 1e9))
                add(name, "latencyP999", .real(Double(state.totalLatency.percentile(99.9)) / 1e9))
                add(name, "latencyMax", .real(Double(state.totalLatency.max) / 1e9))
            }
            if !state.totalWait.isEmpty {
                add(name, "waitP99", .real(Double(state.totalWait.percentile(99)) / 1e9))
            }
            for instance in state.instances {
                addCounts(instances[instance].name, instances[instance].total, instances[instance].totalAreas, threads: state.spec.threads)
            }
        }
        for state in sources {
            add(state.spec.name, "offered", .count(state.totalOffered))
            add(state.spec.name, "offeredRate", .real(ratio(Double(state.totalOffered), seconds)))
        }
        for state in populations {
            add(state.spec.name, "completed", .count(state.total.completed))
            add(state.spec.name, "refused", .count(state.total.refused))
            add(state.spec.name, "throughput", .real(ratio(Double(state.total.completed), seconds)))
            add(state.spec.name, "responseTimeMean", .real(ratio(state.total.latencySum, Double(state.total.completed)) / 1e9))
        }
        return rows
    }
}
