import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Message queues inside a run: producers publishing through a dependency, consumers taking
/// messages with their own threads, and what the producers' users see.
struct MessageQueueChainTests {
    /// `front` (one instance, 20 threads) serves 20 requests a second (10 ms of CPU, then the call
    /// `work`); `back` (one instance) runs the work with `backThreads` threads, each message or
    /// call taking `backTime`. `dependency` is the front's `work` dependency, `queue` the queue's
    /// extra members.
    static func run(dependency: String = #"messageQueue: "jobs""#, capacity: Int = 100_000, queue: String = "", backThreads: Int = 4,
                    backTime: String = "100ms", seconds: Int = 60, faults: String = "[]", back: String = "") throws -> RecordingSink {
        let text = """
        {
          faultline: 1, name: "mq",
          run: { duration: "\(seconds)s", seed: 3, interval: "5s" },
          services: [
            { name: "front", entryPoints: [{ name: "main", threads: 20, queue: 100,
                steps: [{ cpu: { constant: "10ms" } }, { call: "work" }] }],
              dependencies: [{ name: "work", \(dependency) }] },
            { name: "back", \(back) entryPoints: [
                { name: "rpc", threads: \(backThreads), steps: [{ cpu: { constant: "\(backTime)" } }] },
                { name: "messages", threads: \(backThreads), steps: [{ cpu: { constant: "\(backTime)" } }] }] },
          ],
          messageQueues: [{ name: "jobs", capacity: \(capacity), consumer: "back", entryPoint: "messages"\(queue) }],
          traffic: [{ name: "users", target: "front", arrivals: "deterministic", rate: "20/s", clientTimeout: "5s" }],
          faults: \(faults),
        }
        """
        let model = try ModelLoader.load(bytes: Array(text.utf8), file: "mq.json5").model
        return simulate(model).sink
    }

    static func total(_ values: [(time: Double, value: Double)]) -> Double { values.reduce(0) { $0 + $1.value } }

    @Test func `a slow consumer makes the queue deeper while the producer's latency stays flat`() throws {
        // 4 threads of 400 ms serve 10 messages a second; 20 arrive.
        let sink = try Self.run(backTime: "400ms")
        let depth = sink.series("jobs", "depth")
        #expect(depth.count == 12)
        // It grows by about 10 a second: 600 at the end of the minute.
        #expect(zip(depth, depth.dropFirst()).allSatisfy { $1.value > $0.value })
        #expect(abs(depth.last!.value - 600) < 20)
        #expect(sink.series("jobs", "oldestAge").last!.value > 25)
        // The front answers in its own 10 ms of CPU, whatever the back end's backlog.
        #expect(sink.series("front", "latencyMean").allSatisfy { abs($0.value - 0.010) < 1e-6 })
        #expect(Self.total(sink.series("users", "goodput")) >= 1190)
        #expect(sink.series("users", "successRatio").allSatisfy { $0.value == 1 })
        // The consumer's threads are all busy, each on one message at a time.
        #expect(sink.series("back", "threadsBusy.messages").dropFirst().allSatisfy { abs($0.value - 4) < 1e-9 })
        #expect(abs(Self.total(sink.series("jobs", "consumed")) - 600) < 10)
    }

    @Test func `with a synchronous call the same slowness reaches the producer's users`() throws {
        let sink = try Self.run(dependency: #"service: "back", entryPoint: "rpc""#, backTime: "400ms")
        // The calls queue at the back end: the front's latency climbs until its users give up.
        let latency = sink.series("front", "latencyMean")
        #expect(latency.last!.value > 1)
        let success = sink.series("users", "successRatio")
        #expect(success.last!.value < 0.6)
        #expect(sink.count(of: "threadsExhausted", in: "front") >= 1)
    }

    @Test func `a fast consumer keeps the queue empty`() throws {
        let sink = try Self.run(backTime: "50ms")
        #expect(sink.series("jobs", "depthMax").allSatisfy { $0.value <= 1 })
        // Every message is consumed, but the one in service at the end.
        #expect(Self.total(sink.series("jobs", "enqueued")) - Self.total(sink.series("jobs", "consumed")) <= 1)
        #expect(sink.count(of: "queueFilled", in: "jobs") == 0)
    }

    @Test func `a full queue that rejects fails the producer's call at once, and drains when the consumer catches up`() throws {
        // 100 places; the consumer is slow for the first 20 s (a slow fault on back), then fast.
        let sink = try Self.run(capacity: 100, backTime: "100ms",
                                faults: #"[{ at: "0s", duration: "20s", target: "back", kind: "slow", factor: 10 }]"#)
        #expect(Self.total(sink.series("jobs", "rejected")) > 100)
        #expect(sink.series("jobs", "depthMax").allSatisfy { $0.value <= 100 })
        #expect(sink.count(of: "queueFilled", in: "jobs") == 1)
        let drained = sink.events("queueDrained", of: "jobs")
        #expect(drained.count == 1)
        #expect(drained.first.map { $0.time.seconds > 20 && $0.detail.containsWords("rejected while full") } == true)
        // The users see the rejections as errors, answered at once.
        #expect(Self.total(sink.series("front", "failed")) == Self.total(sink.series("jobs", "rejected")))
    }

    @Test func `a blocked producer's thread waits for room up to the block timeout`() throws {
        let sink = try Self.run(capacity: 10, queue: #", whenFull: "block", blockTimeout: "300ms""#, backTime: "400ms")
        // Producers wait, then time out: the front's threads fill with waits and its latency rises.
        #expect(Self.total(sink.series("jobs", "blockTimeouts")) > 0)
        #expect(Self.total(sink.series("front", "timedOut")) == Self.total(sink.series("jobs", "blockTimeouts")))
        #expect(sink.series("front", "latencyMean").last!.value > 0.1)
        #expect(sink.series("jobs", "depthMax").allSatisfy { $0.value <= 10 })
    }

    @Test func `messages past their time to live are dead letters, never delivered`() throws {
        let sink = try Self.run(queue: #", timeToLive: "2s""#, backTime: "400ms")
        let expired = Self.total(sink.series("jobs", "expired"))
        #expect(expired > 500)
        // Nobody consumes a message older than 2 s: the oldest waiting is never older.
        #expect(sink.series("jobs", "oldestAge").allSatisfy { $0.value < 2 })
        #expect(Self.total(sink.series("jobs", "delivered")) + expired + sink.series("jobs", "depth").last!.value
                == Self.total(sink.series("jobs", "enqueued")))
    }

    @Test(arguments: [(2, 0), (1, 4)])
    func `a consumer that crashes fails its messages: they go back for another delivery, or are dead-lettered`(deliveries: Int, deadLetters: Double) throws {
        let sink = try Self.run(queue: ", maximumDeliveries: \(deliveries)", backTime: "400ms",
                                faults: #"[{ at: "10s", target: "back", kind: "crash" }]"#,
                                back: #"lifecycle: { restartDelay: "1s", startupTime: "1s" },"#)
        // The 4 messages in service at the crash fail.
        #expect(Self.total(sink.series("jobs", "deadLettered")) == deadLetters)
        // After the restart the consumer takes messages again.
        let later = sink.series("jobs", "consumed").filter { $0.time >= 15 }
        #expect(!later.isEmpty && later.allSatisfy { $0.value > 0 })
    }
}
