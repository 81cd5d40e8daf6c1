import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// A client `retry` on traffic sources and user populations, and `admission` control on entry points.
struct TrafficControlFormatTests {
    // MARK: Client retries

    @Test func `a source reads the dependency's retry policy, budget and all`() throws {
        let source = try TrafficFormatTests.source(
            #"rate: "1/s", retry: {maximumAttempts: 3, backoff: {constant: "100ms"}, jitter: "full", retryOn: ["refused"], budget: "grpc"}"#)
        #expect(source?.behaviour.retry == RetryPolicy(maximumAttempts: 3, backoff: .constant(.milliseconds(100)), jitter: .full,
                                                       retryOn: [.refused], budget: .grpcDefault))
        #expect(source?.behaviour.isFireAndForget == false, "a source that retries waits for its answers")
    }

    @Test func `a population reads a retry, and without one never retries`() throws {
        let model = try loadModel(TrafficFormatTests.model(users: #"population: 5, thinkTime: "1s", retry: {maximumAttempts: 2}"#))
        #expect(model.users.first?.behaviour.retry == RetryPolicy(maximumAttempts: 2))
        #expect(try TrafficFormatTests.source(#"rate: "1/s""#)?.behaviour.retry == nil)
    }

    @Test(arguments: [
        (#"rate: "1/s", retry: {maximumAttempts: 0}"#,
         #"m.json5:3:79: error: traffic[0].retry.maximumAttempts: must be between 1 and 100, found 0"#),
        (#"rate: "1/s", retry: {backoff: "none"}"#,
         #"m.json5:3:61: error: traffic[0].retry: missing required key 'maximumAttempts'"#),
        (#"rate: "1/s", retry: {maximumAttempts: 3, retryOn: ["timeout", "refuse"]}"#,
         #"m.json5:3:103: error: traffic[0].retry.retryOn[1]: expected "timeout", "error" or "refused", found "refuse"; did you mean 'refused'?"#),
        (#"rate: "1/s", retry: {maximumAttempts: 3, budgte: "grpc"}"#,
         #"m.json5:3:82: error: traffic[0].retry: unknown key 'budgte'; did you mean 'budget'?"#),
        (#"rate: "1/s", retry: 3"#,
         #"m.json5:3:61: error: traffic[0].retry: expected an object, found a number"#),
    ])
    func `every problem of a client retry is located at its value`(traffic: String, expected: String) {
        #expect(modelErrors(TrafficFormatTests.model(traffic: traffic)) == [expected])
    }

    @Test func `an expectation on a source's retries needs a retry on the source`() {
        let text = TrafficFormatTests.model(traffic: #"rate: "1/s""#)
            .replacingOccurrences(of: "endpoints: [", with: #"expect: [{component: "load", metric: "retries", atMost: 1}], endpoints: ["#)
        #expect(modelErrors(text) == [#"m.json5:1:87: error: expect[0].metric: retries is not written: 'load' has no retry"#])
    }

    // MARK: Admission control

    @Test(arguments: [
        (#"admission: {rate: "20/s"}"#, AdmissionSpec(rate: 20, burst: 20)),
        (#"admission: {rate: "20/s", burst: 5}"#, AdmissionSpec(rate: 20, burst: 5)),
        (#"admission: {concurrency: 40}"#, AdmissionSpec(concurrency: 40)),
        (#"admission: {rate: "0.5/s", concurrency: 3, perSource: true}"#, AdmissionSpec(rate: 0.5, burst: 1, concurrency: 3, perSource: true)),
    ])
    func `the simple form puts admission control on its main entry point`(members: String, expected: AdmissionSpec) throws {
        let service = try ServiceFormatTests.service(#"threads: 1, serviceTime: "1ms", "# + members)
        #expect(service?.entryPoints.first?.admission == expected)
    }

    @Test func `an entry point, on its own threads or a shared pool, reads its admission control`() throws {
        let service = try ServiceFormatTests.service(#"""
            threadPools: [{name: "workers", threads: 4}],
            entryPoints: [{name: "http", threads: 1, steps: [{cpu: "1ms"}], admission: {rate: "5/s"}},
                          {name: "api", threadPool: "workers", steps: [{cpu: "1ms"}], admission: {concurrency: 2}},
                          {name: "admin", threadPool: "workers", steps: [{cpu: "1ms"}]}]
            """#)
        #expect(service?.entryPoints.map(\.admission) == [AdmissionSpec(rate: 5), AdmissionSpec(concurrency: 2), nil])
    }

    @Test(arguments: [
        (#"threads: 1, serviceTime: "1ms", admission: {}"#,
         "m.json5:2:69: error: services[0].admission: admission control needs 'rate', 'concurrency' or both"),
        (#"threads: 1, serviceTime: "1ms", admission: {burst: 5}"#,
         "m.json5:2:77: error: services[0].admission.burst: a burst is the size of the rate limit's bucket; give 'rate' too, or leave 'burst' out"),
        (#"threads: 1, serviceTime: "1ms", admission: {concurrency: 5, burst: 5}"#,
         "m.json5:2:93: error: services[0].admission.burst: a burst is the size of the rate limit's bucket; give 'rate' too, or leave 'burst' out"),
        (#"threads: 1, serviceTime: "1ms", admission: {rate: "0/s"}"#,
         "m.json5:2:76: error: services[0].admission.rate: must be between 0.001/s and 1000000000/s, found 0/s"),
        (#"threads: 1, serviceTime: "1ms", admission: {rate: "10/s", burst: 0}"#,
         "m.json5:2:91: error: services[0].admission.burst: must be between 1 and 1000000, found 0"),
        (#"threads: 1, serviceTime: "1ms", admission: {concurrency: 0}"#,
         "m.json5:2:83: error: services[0].admission.concurrency: must be between 1 and 10000000, found 0"),
        (#"threads: 1, serviceTime: "1ms", admission: {rate: "10/s", perSource: "yes"}"#,
         "m.json5:2:95: error: services[0].admission.perSource: expected a boolean, found a string"),
        (#"threads: 1, serviceTime: "1ms", admission: {rat: "10/s"}"#,
         "m.json5:2:70: error: services[0].admission: unknown key 'rat'; did you mean 'rate'?"),
        (#"entryPoints: [{name: "http", threads: 1, steps: [{cpu: "1ms"}]}], admission: {rate: "10/s"}"#,
         "m.json5:2:103: error: services[0].admission: a service with 'entryPoints' gives 'admission' on each entry point"),
        (#"threads: 1, serviceTime: "1ms", admission: "10/s""#,
         "m.json5:2:69: error: services[0].admission: expected an object, found a string"),
    ])
    func `every problem of admission control is located at its value`(service: String, expected: String) {
        #expect(modelErrors(ServiceFormatTests.model(service: service)) == [expected])
    }

    @Test func `an expectation on rate limiting needs admission control on the service`() {
        let text = ServiceFormatTests.model(service: #"threads: 1, serviceTime: "1ms""#)
            .replacingOccurrences(of: "endpoints: [", with: #"expect: [{component: "web", metric: "rateLimited", atMost: 1}], endpoints: ["#)
        #expect(modelErrors(text) == [#"m.json5:3:37: error: expect[0].metric: rateLimited is not written: no entry point of 'web' has admission control"#])
    }
}
