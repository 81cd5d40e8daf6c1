import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Message queues: the `messageQueues` list, and dependencies that publish to one.
struct MessageQueueFormatTests {
    /// A model with a producer `web`, a consumer `workers` (entry points `jobs` and `rpc`), the
    /// queue `orders` with the given members (after its name, on line 6), and `web`'s dependency
    /// `publish` with the given members.
    static func model(queue members: String = #"capacity: 100, consumer: "workers""#,
                      dependency: String = #"messageQueue: "orders""#, extra: String = "") -> String {
        """
        {faultline: 1, name: "m",
        services: [{name: "web", entryPoints: [{name: "main", threads: 2, steps: [{call: "publish"}]}],
                    dependencies: [{name: "publish", \(dependency)}]},
                   {name: "workers", entryPoints: [{name: "jobs", threads: 2, steps: [{cpu: "1ms"}]}, {name: "rpc", threads: 2, steps: [{cpu: "1ms"}]}]}],
        messageQueues: [
          {name: "orders", \(members)}],
        \(extra)}
        """
    }

    @Test func `a queue is read with its defaults`() throws {
        let model = try loadModel(Self.model())
        #expect(model.messageQueues == [MessageQueueSpec(name: "orders", capacity: 100, consumer: "workers")])
        #expect(model.messageQueues[0].whenFull == .reject && model.messageQueues[0].maximumDeliveries == 1)
        #expect(model.services[0].dependencies[0].target == .messageQueue(name: "orders"))
    }

    @Test func `every key of a queue is read`() throws {
        let model = try loadModel(Self.model(queue: #"""
            capacity: 5, whenFull: "block", blockTimeout: "2s", timeToLive: "1h", maximumDeliveries: 3, enqueueLatency: "1ms", consumer: "workers", entryPoint: "rpc"
            """#))
        #expect(model.messageQueues == [MessageQueueSpec(name: "orders", capacity: 5, whenFull: .block, blockTimeout: .seconds(2),
                                                         timeToLive: .seconds(3600), maximumDeliveries: 3, enqueueLatency: .milliseconds(1),
                                                         consumer: "workers", entryPoint: "rpc")])
    }

    @Test(arguments: [
        (#"capacity: 0, consumer: "workers""#, "m.json5:6:30: error: messageQueues[0].capacity: must be between 1 and 10000000, found 0"),
        (#"consumer: "workers""#, "m.json5:6:3: error: messageQueues[0]: missing required key 'capacity'"),
        (#"capacity: 1, whenFull: "drop", consumer: "workers""#,
         #"m.json5:6:43: error: messageQueues[0].whenFull: expected one of "reject", "dropOldest", "block", found "drop""#),
        (#"capacity: 1, blockTimeout: "1s", consumer: "workers""#,
         #"m.json5:6:47: error: messageQueues[0].blockTimeout: a block timeout is how long a producer waits for room with whenFull "block"; this queue's whenFull is "reject""#),
        (#"capacity: 1, timeToLive: "0s", consumer: "workers""#, "m.json5:6:45: error: messageQueues[0].timeToLive: must be positive, found 0s"),
        (#"capacity: 1, maximumDeliveries: 0, consumer: "workers""#,
         "m.json5:6:52: error: messageQueues[0].maximumDeliveries: must be between 1 and 100, found 0"),
        (#"capacity: 1, consumer: "wrokers""#, #"m.json5:6:43: error: messageQueues[0].consumer: no service is named "wrokers"; did you mean 'workers'?"#),
        (#"capacity: 1, consumer: "workers", entryPoint: "jbos""#,
         #"m.json5:6:66: error: messageQueues[0].entryPoint: no entry point of 'workers' is named "jbos"; did you mean 'jobs'?"#),
        (#"capacity: 1, consumer: "workers", depth: 3"#, "m.json5:6:54: error: messageQueues[0]: unknown key 'depth'"),
    ])
    func `a wrong queue is reported where it is written`(members: String, message: String) {
        #expect(modelErrors(Self.model(queue: members)) == [message])
    }

    @Test(arguments: [
        (#"messageQueue: "ordres""#, #"m.json5:3:60: error: services[0].dependencies[0].messageQueue: no message queue is named "ordres"; did you mean 'orders'?"#),
        (#"messageQueue: "orders", readTimeout: "1s""#,
         "m.json5:3:83: error: services[0].dependencies[0].readTimeout: a message queue is published to without a connection; 'readTimeout' is for a service or an endpoint"),
        (#"messageQueue: "orders", pool: {size: 2}"#,
         "m.json5:3:76: error: services[0].dependencies[0].pool: a message queue is published to without a connection; 'pool' is for a service or an endpoint"),
        (#"messageQueue: "orders", service: "workers""#,
         "m.json5:3:60: error: services[0].dependencies[0].messageQueue: give one of 'service', 'endpoint' and 'messageQueue', not two"),
        (#"messageQueue: "workers""#, "m.json5:3:60: error: services[0].dependencies[0].messageQueue: needs a message queue; 'workers' is a service"),
    ])
    func `a wrong dependency on a queue is reported where it is written`(dependency: String, message: String) {
        #expect(modelErrors(Self.model(dependency: dependency)) == [message])
    }

    @Test func `a queue's name is unique among the components`() {
        let errors = modelErrors(Self.model(queue: #"capacity: 1, consumer: "workers""#).replacingOccurrences(of: #"name: "orders""#, with: #"name: "web""#)
            .replacingOccurrences(of: #"messageQueue: "orders""#, with: #"messageQueue: "web""#))
        #expect(errors.contains { $0.contains(#"name "web" is already used at line 2"#) })
    }

    @Test func `a consumer's entry point is fed by its queue alone`() {
        let traffic = modelErrors(Self.model(extra: #"traffic: [{name: "t", target: "workers", rate: "1/s"}],"#))
        #expect(traffic == [#"m.json5:6:45: error: messageQueues[0].consumer: entry point 'jobs' of 'workers' takes this queue's messages; 't' sends requests to it too; give the traffic an entry point of its own"#])
        let calls = modelErrors(Self.model(dependency: #"service: "workers""#))
        #expect(calls == [#"m.json5:6:45: error: messageQueues[0].consumer: entry point 'jobs' of 'workers' takes this queue's messages; dependency 'publish' of 'web' calls it too; give the calls an entry point of its own"#])
    }

    @Test func `a consumer's entry point has threads of its own`() {
        let text = Self.model().replacingOccurrences(
            of: #"{name: "jobs", threads: 2, steps: [{cpu: "1ms"}]}"#, with: #"{name: "jobs", threadPool: "shared", steps: [{cpu: "1ms"}]}"#)
            .replacingOccurrences(of: #"{name: "workers", entryPoints"#, with: #"{name: "workers", threadPools: [{name: "shared", threads: 2}], entryPoints"#)
        #expect(modelErrors(text) == [#"m.json5:6:45: error: messageQueues[0].consumer: entry point 'jobs' of 'workers' takes this queue's messages, so it needs threads of its own; it uses the shared thread pool 'shared'"#])
    }

    @Test func `an expectation can name a queue and its metrics`() {
        #expect(modelErrors(Self.model(extra: #"expect: [{component: "orders", metric: "depth", from: "0s", aggregate: "maximum", below: 5}],"#)) == [])
        let wrong = modelErrors(Self.model(extra: #"expect: [{component: "orders", metric: "dpeth", from: "0s", aggregate: "maximum", below: 5}],"#))
        #expect(wrong.count == 1 && wrong[0].contains(#"series.csv has no metric "dpeth" for a message queue; did you mean 'depth'?"#))
    }
}
