import FailureChains
import ModelFormat
import Testing

/// An expectation's component, metric and event are checked against the model and the metric catalogue.
struct ExpectationChecksTests {
    /// A model with a service of each shape: `web` (simple form, 2 instances), `cf` (two entry
    /// points, a pooled dependency and one with a breaker and a retry) and `farm` (autoscaled up
    /// to 6 instances, with a heap and a health check); an endpoint, a traffic source and a user
    /// population. The `expect` list starts on line 22; each expectation is on a line of its own
    /// from column 5.
    static func model(expecting expectations: [String], services extra: String = "") -> String {
        """
        {
          faultline: 1,
          name: "shop",
          services: [
            { name: "web", instances: 2, threads: 4, serviceTime: "10ms" },
            { name: "cf", instances: 2,
              entryPoints: [
                { name: "ejb", threads: 4, queue: 10, steps: [{ cpu: "1ms" }, { call: "db" }, { call: "auth" }] },
                { name: "http", threads: 2, queue: 5, steps: [{ cpu: "1ms" }] },
              ],
              dependencies: [
                { name: "db", endpoint: "oracle", pool: { size: 4 } },
                { name: "auth", endpoint: "oracle", breaker: { failureThreshold: 5 }, retry: { maximumAttempts: 2 } },
              ] },
            { name: "farm", instances: 2, threads: 4, serviceTime: "10ms", heap: { size: "1GB" },
              balancer: { healthCheck: { interval: "5s" } }, autoscaler: { targetUtilisation: "50%", maximumInstances: 6 } },\(extra)
          ],
          endpoints: [{ name: "oracle", latency: "5ms" }],
          traffic: [{ name: "shoppers", target: "web", rate: "10/s" }],
          users: [{ name: "staff", target: "cf", entryPoint: "http", population: 3, thinkTime: "1s" }],
          expect: [
        \(expectations.map { "    " + $0 + "," }.joined(separator: "\n"))
          ],
        }
        """
    }

    /// The line of the first expectation in `model(expecting:)`.
    static let firstLine = 22

    /// The errors of the model with these expectations.
    static func errors(_ expectations: [String], services: String = "") -> [String] {
        modelErrors(model(expecting: expectations, services: services))
    }

    /// The error line for the value of `key` in the expectation `expectation`, written at
    /// `expect[index]`.
    static func located(_ expectation: String, at index: Int = 0, _ key: String, _ message: String) -> String {
        let start = expectation.range(of: key + ": ")!.upperBound
        let column = 5 + expectation.distance(from: expectation.startIndex, to: start)
        return "m.json5:\(firstLine + index):\(column): error: expect[\(index)].\(key): \(message)"
    }

    @Test func `the base model loads`() {
        #expect(Self.errors([]) == [])
    }

    /// A service `back` whose two entry points share the thread pool `workers`, on one line.
    static let sharedPool = #" { name: "back", threadPools: [{ name: "workers", threads: 4 }], entryPoints: [{ name: "a", threadPool: "workers", steps: [{ cpu: "1ms" }] }, { name: "b", threadPool: "workers", steps: [{ cpu: "1ms" }] }] },"#

    @Test func `a shared thread pool's events and metrics can be expected`() {
        #expect(Self.errors([#"{ component: "back[0].workers", event: "threadsExhausted", count: 0 }"#,
                             #"{ component: "back", metric: "threadPoolBusy.workers", aggregate: "maximum", atMost: 4 }"#,
                             #"{ component: "back[0]", metric: "threadPoolQueueLengthMean.workers", below: 1 }"#],
                            services: Self.sharedPool) == [])
    }

    @Test func `a shared thread pool is no component of metrics, and its name is checked`() {
        let metric = #"{ component: "back[0].workers", metric: "threadsBusy", aggregate: "maximum", atMost: 4 }"#
        let suffix = #"{ component: "back", metric: "threadPoolBusy.wrkers", aggregate: "maximum", atMost: 4 }"#
        #expect(Self.errors([metric, suffix], services: Self.sharedPool) == [
            Self.located(metric, at: 0, "component",
                         "a shared thread pool has no rows of its own; its metrics are its instance's, such as 'threadPoolBusy.workers' of 'back[0]'"),
            Self.located(suffix, at: 1, "metric", "'back' has no thread pool named \"wrkers\"; did you mean 'threadPoolBusy.workers'?"),
        ])
    }

    @Test(arguments: [
        // Each form, on each kind of component.
        #"{ component: "web", metric: "latencyP99", below: "2s" }"#,
        #"{ component: "web[1]", metric: "up", aggregate: "minimum", equal: 1 }"#,
        #"{ component: "cf", metric: "threadsBusy.ejb", aggregate: "maximum", below: 4 }"#,
        #"{ component: "cf[0]", metric: "connectionsInUse.db", aggregate: "maximum", atMost: 4 }"#,
        #"{ component: "cf", metric: "callsTotal.db", atLeast: 1 }"#,
        #"{ component: "cf", metric: "retryAmplification.auth", below: 2 }"#,
        #"{ component: "cf", metric: "breakerOpen.auth", aggregate: "maximum", equal: 0 }"#,
        #"{ component: "farm", metric: "heapUsed", aggregate: "maximum", below: "1%" }"#,
        #"{ component: "farm", metric: "instancesAdmitted", aggregate: "minimum", atLeast: 1 }"#,
        #"{ component: "farm[5]", metric: "gcShareMean", below: 0.1 }"#,
        #"{ component: "oracle", metric: "calls", atLeast: 1 }"#,
        #"{ component: "shoppers", metric: "successRatio", above: "99%" }"#,
        #"{ component: "staff", metric: "responseTimeMean", from: "10s", below: "1s" }"#,
        #"{ component: "web", event: "instanceCrashed", count: 0 }"#,
        #"{ component: "web[0]", event: "queueFilled", count: 0 }"#,
        #"{ component: "cf[1].http", event: "queueFilled", count: 0 }"#,
        #"{ component: "cf", event: "breakerOpened", count: 0 }"#,
        #"{ component: "farm", event: "autoscalerScaled", atMost: 3 }"#,
        #"{ component: "farm[5]", event: "instanceProvisioned", atMost: 1 }"#,
        #"{ component: "oracle", event: "connectionsStale", count: 0 }"#,
        #"{ component: "oracle", event: "faultStarted", count: 0 }"#,
        #"{ component: "shoppers", event: "rateChanged", count: 0 }"#,
        #"{ component: "shop", event: "runEnded", count: 1 }"#,
    ])
    func `an expectation naming what the model has is accepted`(expectation: String) {
        #expect(Self.errors([expectation]) == [])
    }

    @Test func `the issue's misspelt component and event are both reported, with the names meant`() {
        let expectation = #"{ component: "wbe", event: "instanceCrash", count: 0 }"#
        #expect(Self.errors([expectation]) == [
            Self.located(expectation, "component", #"no component is named "wbe"; did you mean 'web'?"#),
            Self.located(expectation, "event", #"no event is named "instanceCrash"; did you mean 'instanceCrashed'?"#),
        ])
    }

    @Test(arguments: [
        // Components.
        (#"{ component: "sop", event: "runEnded", count: 1 }"#, "component", #"no component is named "sop"; did you mean 'shop'?"#),
        (#"{ component: "shop", metric: "offered", below: 1 }"#, "component",
         "the model has no metrics, only run-level events; name a service, an instance, an endpoint, a traffic source or a user population"),
        (#"{ component: "web[2]", metric: "up", aggregate: "minimum", equal: 1 }"#, "component", "no instance web[2]; 'web' has 2 instances, web[0] to web[1]"),
        (#"{ component: "farm[6]", event: "instanceUp", count: 0 }"#, "component",
         "no instance farm[6]; 'farm' has 6 instances, farm[0] to farm[5] (counting those its autoscaler may start)"),
        (#"{ component: "wbe[0]", event: "instanceUp", count: 0 }"#, "component", #"no service is named "wbe"; did you mean 'web'?"#),
        (#"{ component: "cf[0].htp", event: "queueFilled", count: 0 }"#, "component", #"no entry point of 'cf' is named "htp"; did you mean 'http'?"#),
        (#"{ component: "web[0].main", event: "queueFilled", count: 0 }"#, "component",
         "'web' has one entry point, which is not a component of its own; name the instance, 'web[0]'"),
        (#"{ component: "cf[0].http", metric: "threadsBusy", aggregate: "maximum", below: 1 }"#, "component",
         "an entry point has no rows of its own; its metrics are its instance's, such as 'threadsBusy.http' of 'cf[0]'"),
        // Metrics that no component has.
        (#"{ component: "web", metric: "offerd", below: 1 }"#, "metric", #"summary.csv has no metric "offerd" for a service; did you mean 'offered'?"#),
        // Metrics of another kind of component.
        (#"{ component: "shoppers", metric: "threadsBusy", aggregate: "maximum", below: 1 }"#, "metric",
         #"series.csv has no metric "threadsBusy" for a traffic source; it is a metric of services and instances"#),
        (#"{ component: "web", metric: "successRatio", below: 1 }"#, "metric",
         #"summary.csv has no metric "successRatio" for a service; it is a metric of traffic sources and user populations"#),
        (#"{ component: "web[0]", metric: "latencyP999", below: 1 }"#, "metric",
         #"summary.csv has no metric "latencyP999" for an instance; it is a metric of services"#),
        (#"{ component: "web[0]", metric: "instancesUp", aggregate: "minimum", equal: 1 }"#, "metric",
         #"series.csv has no metric "instancesUp" for an instance; it is a metric of services"#),
        // Metrics of the other file.
        (#"{ component: "web", metric: "threadsBusyMean", aggregate: "maximum", below: 3 }"#, "metric",
         "threadsBusyMean is a metric of summary.csv, not series.csv: an expectation with 'from', 'to' or 'aggregate' reads series.csv; remove them to read summary.csv, or did you mean 'threadsBusy'?"),
        (#"{ component: "farm", metric: "heapUsed", below: 3 }"#, "metric",
         "heapUsed is a metric of series.csv, not summary.csv: an expectation without 'from', 'to' or 'aggregate' reads summary.csv; add 'aggregate' to read series.csv"),
        // Suffixes.
        (#"{ component: "cf", metric: "connectionsLeaked.dbx", aggregate: "maximum", equal: 0 }"#, "metric",
         #"'cf' has no dependency named "dbx"; did you mean 'connectionsLeaked.db'?"#),
        (#"{ component: "cf[1]", metric: "threadsBusy.ejbs", aggregate: "maximum", below: 4 }"#, "metric",
         #"'cf' has no entry point named "ejbs"; did you mean 'threadsBusy.ejb'?"#),
        (#"{ component: "web", metric: "calls.db", aggregate: "sum", below: 4 }"#, "metric", "'web' has no dependencies, so no metric calls.<dep>"),
        // What the model does not have.
        (#"{ component: "cf", metric: "breakerOpen.db", aggregate: "maximum", equal: 0 }"#, "metric",
         "breakerOpen.db is not written: dependency 'db' of 'cf' has no breaker"),
        (#"{ component: "cf", metric: "connectionsLeaked.auth", aggregate: "maximum", equal: 0 }"#, "metric",
         "connectionsLeaked.auth is not written: dependency 'auth' of 'cf' has no pool"),
        (#"{ component: "web", metric: "gcShare", aggregate: "maximum", below: 0.5 }"#, "metric", "gcShare is not written: 'web' has no heap"),
        (#"{ component: "web", metric: "threadsBusy.main", aggregate: "maximum", below: 4 }"#, "metric",
         "threadsBusy.main is not written: 'web' has one entry point, and 'threadsBusy' covers it"),
        (#"{ component: "web[1]", metric: "admitted", aggregate: "minimum", equal: 1 }"#, "metric", "admitted is not written: 'web' has no health check"),
        // Events.
        (#"{ component: "web", event: "instanceCrahsed", count: 0 }"#, "event", #"no event is named "instanceCrahsed"; did you mean 'instanceCrashed'?"#),
        (#"{ component: "shoppers", event: "instanceCrashed", count: 0 }"#, "event", "instanceCrashed is recorded for instances, not for a traffic source"),
        (#"{ component: "web", event: "rateChanged", count: 0 }"#, "event", "rateChanged is recorded for traffic sources, not for a service or its instances"),
        (#"{ component: "staff", event: "rateChanged", count: 0 }"#, "event", "rateChanged is recorded for traffic sources, not for a user population"),
        (#"{ component: "web[1]", event: "runEnded", count: 1 }"#, "event", "runEnded is recorded for the model, not for an instance"),
        (#"{ component: "cf", event: "queueFilled", count: 0 }"#, "event",
         "'cf' has several entry points, so queueFilled is recorded for each entry point of an instance, such as 'cf[0].ejb'"),
        (#"{ component: "cf[1]", event: "queueRecovered", count: 0 }"#, "event",
         "'cf' has several entry points, so queueRecovered is recorded for each entry point of an instance, such as 'cf[1].ejb'"),
        (#"{ component: "cf[1].ejb", event: "instanceCrashed", count: 0 }"#, "event",
         "instanceCrashed is recorded for instances, not for an entry point"),
    ])
    func `a name the model does not have is reported at its value`(expectation: String, key: String, message: String) {
        #expect(Self.errors([expectation]) == [Self.located(expectation, key, message)])
    }

    @Test func `every problem of every expectation is reported at once, names included where other keys are wrong`() {
        let expectations = [
            #"{ component: "web", metric: "latencyP99", below: "2s" }"#,
            #"{ component: "wbe", metric: "offerd", below: 1 }"#,
            #"{ component: "cf", event: "breakerOpend" }"#,
            #"{ component: "web[9]", metric: "up", aggregate: "minimal", equal: 1 }"#,
            #"{ component: "cf", metric: "connectionsLeaked.dbx", aggregate: "maximum", equal: 0 }"#,
        ]
        #expect(Self.errors(expectations) == [
            Self.located(expectations[1], at: 1, "component", #"no component is named "wbe"; did you mean 'web'?"#),
            Self.located(expectations[1], at: 1, "metric", #"no metric is named "offerd"; did you mean 'offered'?"#),
            "m.json5:\(Self.firstLine + 2):5: error: expect[2]: missing a comparison: one of below, above, atMost, atLeast, equal, count",
            Self.located(expectations[2], at: 2, "event", #"no event is named "breakerOpend"; did you mean 'breakerOpened'?"#),
            Self.located(expectations[3], at: 3, "component", "no instance web[9]; 'web' has 2 instances, web[0] to web[1]"),
            Self.located(expectations[3], at: 3, "aggregate",
                         #"must be one of mean, minimum, maximum, sum, first, last, found "minimal"; did you mean 'minimum'?"#),
            Self.located(expectations[4], at: 4, "metric", #"'cf' has no dependency named "dbx"; did you mean 'connectionsLeaked.db'?"#),
        ])
    }

    @Test func `an expectation with both a metric and an event has only that problem`() {
        let expectation = #"{ component: "web", metric: "offered", event: "instanceCrashed", count: 0 }"#
        #expect(Self.errors([expectation]) == [Self.located(expectation, "event", "an expectation is about a metric or an event, not both")])
    }

    @Test func `a service that cannot be read is not blamed for its expectations' names`() {
        let broken = #"{ name: "bad", threads: 0, serviceTime: "1ms", dependencies: [{ name: "x", endpoint: "oracle" }] },"#
        let errors = Self.errors([
            #"{ component: "bad", metric: "calls.x", aggregate: "sum", atLeast: 0 }"#,
            #"{ component: "bad[0]", event: "instanceCrashed", count: 0 }"#,
        ], services: "\n    " + broken)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("services[3].threads: must be between 1 and 100000, found 0") == true)
    }
}
