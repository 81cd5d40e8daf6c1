import FailureChains
import ModelFormat
import SimulationKernel
import Testing

/// A service's `disk`: its sizes, growth, fail point and rotation, and the located errors.
struct DiskFormatTests {
    static func service(_ disk: String) throws -> ServiceSpec? {
        try loadModel(ServiceFormatTests.model(service: #"threads: 1, serviceTime: "1ms", disk: \#(disk)"#)).services.first
    }

    static func errors(_ disk: String) -> [String] {
        modelErrors(ServiceFormatTests.model(service: #"threads: 1, serviceTime: "1ms", disk: \#(disk)"#))
    }

    @Test func `a service has no disk unless it declares one`() throws {
        #expect(try ServiceFormatTests.service(#"threads: 1, serviceTime: "1ms""#)?.disk == nil)
    }

    @Test func `a disk needs only its size; it then fails at 95% and never rotates`() throws {
        #expect(try Self.service(#"{ size: "100GB" }"#)?.disk == DiskSpec(size: 100_000_000_000))
        #expect(DiskSpec(size: 100).failAtMillionths == 950_000)
    }

    @Test func `a disk reads its baseline, writes, fail point and rotation`() throws {
        let disk = try Self.service(#"""
            { size: "100GB", baseline: "40GB", perRequest: "2KB", perSecond: "23148B", failAt: "90%",
              rotation: { every: "1d", keep: 3 } }
            """#)?.disk
        #expect(disk == DiskSpec(size: 100_000_000_000, baseline: 40_000_000_000, perRequest: 2_000, perSecond: 23_148,
                                 failAtMillionths: 900_000, rotation: DiskRotationSpec(every: .seconds(86_400), keep: 3)))
        #expect(try Self.service(#"{ size: "1GB", failAt: 0.925 }"#)?.disk?.failAtMillionths == 925_000)
    }

    @Test(arguments: [
        (#"{ baseline: "1GB" }"#, "services[0].disk: missing required key 'size'"),
        (#"{ size: "1GB", baseline: "2GB" }"#, "services[0].disk.baseline: must be less than the disk size (1GB), found 2GB"),
        (#"{ size: "1GB", perSecond: "-1KB" }"#, #"services[0].disk.perSecond: sizes cannot be negative, found "-1KB""#),
        (#"{ size: "1GB", failAt: 95 }"#, #"services[0].disk.failAt: must be greater than 0 and at most 1, found 95 (for a percentage, write "95%")"#),
        (#"{ size: "1GB", failAt: "0%" }"#, "services[0].disk.failAt: "),
        (#"{ size: "1GB", rotation: { every: "1h" } }"#, "services[0].disk.rotation: missing required key 'keep'"),
        (#"{ size: "1GB", rotation: { every: "0s", keep: 1 } }"#, "services[0].disk.rotation.every: "),
        (#"{ size: "1GB", rotation: { every: "1h", keep: -1 } }"#, "services[0].disk.rotation.keep: must be between 0 and 10000"),
        (#"{ size: "1GB", perRequests: "1KB" }"#, "did you mean 'perRequest'?"),
    ])
    func `a bad disk is reported at its place`(disk: String, message: String) {
        let errors = Self.errors(disk)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.allSatisfy { $0.hasPrefix("m.json5:2:") && $0.contains(message) }, "\(errors)")
    }
}
