import SimulationKernel

extension ChainSimulation {
    /// Draws the next arrival of an open source after `time`, or its next rate step if that comes first.
    func scheduleNextArrival(of source: Int, from time: Instant) {
        let meanGap = sources[source].meanGap
        let nextStep = sources[source].nextStepAt
        var due = Int64.max
        if meanGap > 0 {
            let gap = sources[source].isPoisson
                ? meanGap * ExponentialZiggurat.sample(using: &sources[source].arrivalStream)
                : meanGap
            due = (time + Interval.sampled(seconds: gap)).nanoseconds
        }
        // A Poisson process is memoryless, so a draw that crosses a step is simply redrawn at the step.
        if nextStep <= due {
            if nextStep != Int64.max {
                eventQueue.schedule(.rateStepDue(source: Int32(source)), at: Instant(nanoseconds: nextStep))
            }
        } else {
            eventQueue.schedule(.arrivalDue(source: Int32(source)), at: Instant(nanoseconds: due))
        }
    }

    func arrive(from source: Int32, at time: Instant) {
        let index = Int(source)
        sources[index].intervalOffered &+= 1
        if isPastWarmup { sources[index].totalOffered &+= 1 }
        admit(origin: -(source + 1), to: sources[index].target, at: time.nanoseconds)
        scheduleNextArrival(of: index, from: time)
    }

    func advanceRateStep(of source: Int32, at time: Instant) {
        let index = Int(source)
        let before = sources[index].spec.steps[sources[index].step].rate
        sources[index].enterStep(sources[index].step + 1)
        let after = sources[index].spec.steps[sources[index].step].rate
        sink.stateChanged(StateChange(time: time, component: sources[index].spec.name, event: "rateChanged",
                                      detail: "\(formatRate(before)) -> \(formatRate(after))"))
        scheduleNextArrival(of: index, from: time)
    }

    func scheduleThink(of user: Int32, from time: Instant) {
        let population = Int(userPopulation[Int(user)])
        let think = populations[population].spec.thinkTime.sample(using: &populations[population].thinkStream)
        eventQueue.schedule(.thinkEnded(user: user), at: time + Interval.sampled(seconds: think))
    }

    /// Tells a request's sender that it ended: a closed user starts thinking; open sources do not wait.
    @inline(__always)
    func notifyOrigin(_ origin: Int32, latency: Int64, refused: Bool, at now: Int64) {
        guard origin >= 0 else { return }
        let population = Int(userPopulation[Int(origin)])
        if refused {
            populations[population].interval.refused &+= 1
            if isPastWarmup { populations[population].total.refused &+= 1 }
        } else {
            populations[population].interval.completed &+= 1
            populations[population].interval.latencySum += Double(latency)
            if isPastWarmup {
                populations[population].total.completed &+= 1
                populations[population].total.latencySum += Double(latency)
            }
        }
        scheduleThink(of: origin, from: Instant(nanoseconds: now))
    }
}

/// A rate in requests per second, printed without locale: `20/s`, `0.5/s`.
func formatRate(_ rate: Double) -> String {
    NumberText.decimal(rate) + "/s"
}
