import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// Endpoints: latency, errors, and the capacity keys `concurrency` and `queue`.
struct EndpointFormatTests {
    /// A model whose only endpoint, `db`, has the given members from line 3, column 42.
    static func model(endpoint members: String) -> String {
        """
        {faultline: 1, name: "m",
        services: [{name: "web", threads: 1, serviceTime: "1ms"}],
        endpoints: [{name: "db", latency: "5ms", \(members)}]}
        """
    }

    /// The column on line 3 where `needle` starts within the members.
    static func column(of needle: String, in members: String) -> Int {
        42 + members.distance(from: members.startIndex, to: members.range(of: needle)!.lowerBound)
    }

    static func endpoint(_ members: String) throws -> EndpointSpec? {
        try loadModel(model(endpoint: members)).endpoints.first
    }

    @Test func `an endpoint without concurrency has no capacity`() throws {
        let endpoint = try Self.endpoint("errorProbability: 0.5")
        #expect(endpoint == EndpointSpec(name: "db", latency: .constant(0.005), errorProbability: 0.5))
        #expect(endpoint?.concurrency == nil && endpoint?.queueCapacity == nil)
    }

    @Test(arguments: [
        ("concurrency: 20", 20, Int?.none),
        ("concurrency: 20, queue: 100", 20, 100),
        ("concurrency: 1, queue: 0", 1, 0),
        (#"concurrency: 3, queue: "unbounded""#, 3, nil),
    ])
    func `concurrency and queue are read, the queue unbounded unless given`(members: String, concurrency: Int, queue: Int?) throws {
        let endpoint = try Self.endpoint(members)
        #expect(endpoint == EndpointSpec(name: "db", latency: .constant(0.005), concurrency: concurrency, queueCapacity: queue))
    }

    @Test(arguments: [
        ("concurrency: 0", "0", "endpoints[0].concurrency: must be between 1 and 100000, found 0"),
        ("concurrency: 2.5", "2.5", "endpoints[0].concurrency: must be an integer, found 2.5"),
        ("concurrency: 2, queue: -1", "-1", "endpoints[0].queue: must be between 0 and 10000000, found -1"),
        (#"concurrency: 2, queue: "lots""#, #""lots""#, #"endpoints[0].queue: expected a number of waiting places or "unbounded", found "lots""#),
        ("queue: 10", "10", "endpoints[0].queue: a queue holds calls waiting for one of the endpoint's slots; give 'concurrency' too, or leave 'queue' out"),
        ("concurency: 10", "concurency", "endpoints[0]: unknown key 'concurency'; did you mean 'concurrency'?"),
    ])
    func `every problem of an endpoint's capacity is located at its value`(members: String, at needle: String, expected: String) {
        let column = Self.column(of: needle, in: members)
        #expect(modelErrors(Self.model(endpoint: members)) == ["m.json5:3:\(column): error: " + expected])
    }
}
