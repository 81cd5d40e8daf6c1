import FailureChains
import SimulationKernel
import Testing

/// One instance's disk alone, driven with explicit times: writes, per-second growth, the fill
/// time, rotation with retention, pauses while the instance is down.
struct DiskTests {
    static let second: Int64 = 1_000_000_000

    /// 1,000 B of disk, 400 B baseline, 10 B a request, 3 B a second; writes fail at 90% (900 B).
    static func makeDisk(perSecond: Int64 = 3, rotation: DiskRotationSpec? = nil) -> Disk {
        Disk(spec: DiskSpec(size: 1_000, baseline: 400, perRequest: 10, perSecond: perSecond,
                            failAtMillionths: 900_000, rotation: rotation))
    }

    @Test func `a new disk holds only its baseline`() throws {
        let disk = Self.makeDisk()
        #expect(disk.used(at: 0) == 400)
        #expect(disk.usedShare(at: 0) == 0.4)
        #expect(disk.failBytes == 900)
        #expect(!disk.isFull)
    }

    @Test func `the fail point is the size times the share, rounded up to a whole byte`() throws {
        #expect(DiskSpec(size: 1_000, failAtMillionths: 900_000).failBytes == 900)
        #expect(DiskSpec(size: 7, failAtMillionths: 500_000).failBytes == 4)
        // 16 TiB at 95%: exact, though the product overflows 64 bits.
        #expect(DiskSpec(size: 1 << 44, failAtMillionths: 950_000).failBytes == 16_712_576_742_196)
    }

    @Test func `a paused disk does not grow by the second`() throws {
        let disk = Self.makeDisk()
        #expect(disk.used(at: 100 * Self.second) == 400)
        #expect(disk.fillTime(at: 0) == nil)
    }

    @Test func `per-second writes are whole bytes of the time since the growth started`() throws {
        var disk = Self.makeDisk()
        let result1 = disk.resume(at: 2 * Self.second)
        #expect(result1)
        #expect(disk.used(at: 2 * Self.second) == 400)
        // 3 B a second: after 1.5 s, ⌊4.5⌋ = 4 B; after 10 s, 30 B.
        #expect(disk.used(at: 3 * Self.second + Self.second / 2) == 404)
        #expect(disk.used(at: 12 * Self.second) == 430)
    }

    @Test func `the fill time is the first instant the per-second writes reach the fail point`() throws {
        var disk = Self.makeDisk()
        _ = disk.resume(at: 0)
        // 500 B missing at 3 B a second: ⌈500 / 3⌉ s = 166.67 s, to the nanosecond rounded up.
        let fill = try #require(disk.fillTime(at: 0))
        #expect(fill == 166_666_666_667)
        #expect(disk.used(at: fill - 1) == 899)
        #expect(disk.used(at: fill) == 900)
        let result2 = disk.fillDue(epoch: disk.epoch, at: fill)
        #expect(result2)
        #expect(disk.isFull)
        // Full: the per-second writes stop.
        #expect(disk.used(at: fill + 100 * Self.second) == 900)
        #expect(disk.fillTime(at: fill) == nil)
    }

    @Test func `a stale fill timer changes nothing`() throws {
        var disk = Self.makeDisk()
        _ = disk.resume(at: 0)
        let epoch = disk.epoch
        disk.pause(at: 10 * Self.second)
        let result3 = disk.fillDue(epoch: epoch, at: 1_000 * Self.second)
        #expect(!result3)
        #expect(!disk.isFull)
        #expect(disk.used(at: 1_000 * Self.second) == 430)
    }

    @Test func `requests write their bytes, and the write that reaches the fail point fails`() throws {
        var disk = Self.makeDisk(perSecond: 0)
        var writes: [Disk.Write] = []
        for _ in 0..<51 { writes.append(disk.write(at: 0)) }
        // 50 writes of 10 B bring 400 B to 900 B: the 50th fills the disk; the 51st fails and writes nothing.
        #expect(writes.prefix(49).allSatisfy { $0 == .written })
        #expect(writes[49] == .filled)
        #expect(writes[50] == .failed)
        #expect(disk.used(at: 0) == 900)
        #expect(disk.isFull)
    }

    @Test func `a pause keeps what was written and a resume grows from there`() throws {
        var disk = Self.makeDisk()
        _ = disk.resume(at: 0)
        disk.pause(at: 10 * Self.second)
        #expect(disk.used(at: 50 * Self.second) == 430)
        let result4 = disk.resume(at: 50 * Self.second)
        #expect(result4)
        #expect(disk.used(at: 60 * Self.second) == 460)
    }

    @Test func `rotation keeps the newest closed files and deletes older ones`() throws {
        var disk = Self.makeDisk(perSecond: 0, rotation: DiskRotationSpec(every: .seconds(60), keep: 2))
        for file in 1...4 {
            for _ in 0..<file { _ = disk.write(at: 0) }  // files of 10, 20, 30 and 40 B
            let rotationResult = disk.rotate(at: 0, isRunning: true)
            let rotation = try #require(rotationResult)
            #expect(rotation.freed == (file <= 2 ? 0 : Int64(file - 2) * 10))
            #expect(!rotation.recovered)
        }
        #expect(disk.keptFiles == [30, 40])
        #expect(disk.keptBytes == 70)
        #expect(disk.used(at: 0) == 470)
    }

    @Test func `rotation closes the per-second growth into the file and starts a new one`() throws {
        var disk = Self.makeDisk(rotation: DiskRotationSpec(every: .seconds(10), keep: 0))
        _ = disk.resume(at: 0)
        let rotationResult = disk.rotate(at: 10 * Self.second, isRunning: true)
        let rotation = try #require(rotationResult)
        #expect(rotation.freed == 30)
        #expect(disk.used(at: 10 * Self.second) == 400)
        #expect(disk.used(at: 20 * Self.second) == 430)
    }

    @Test func `a rotation that frees a full disk lets it write and grow again`() throws {
        var disk = Self.makeDisk(rotation: DiskRotationSpec(every: .seconds(60), keep: 0))
        _ = disk.resume(at: 0)
        let fill = try #require(disk.fillTime(at: 0))
        let result5 = disk.fillDue(epoch: disk.epoch, at: fill)
        #expect(result5)
        let result6 = disk.write(at: fill)
        #expect(result6 == .failed)
        let rotationResult = disk.rotate(at: 200 * Self.second, isRunning: true)
        let rotation = try #require(rotationResult)
        #expect(rotation.recovered)
        #expect(rotation.freed == 500)
        #expect(!disk.isFull)
        let result7 = disk.write(at: 200 * Self.second)
        #expect(result7 == .written)
        #expect(disk.used(at: 210 * Self.second) == 440)
    }

    @Test func `a disk whose closed files are all kept stays full after a rotation`() throws {
        var disk = Self.makeDisk(perSecond: 0, rotation: DiskRotationSpec(every: .seconds(60), keep: 10))
        for _ in 0..<50 { _ = disk.write(at: 0) }
        #expect(disk.isFull)
        let rotationResult = disk.rotate(at: 0, isRunning: true)
        let rotation = try #require(rotationResult)
        #expect(!rotation.recovered)
        #expect(rotation.freed == 0)
        #expect(disk.isFull)
    }

    @Test func `a disk without rotation does not rotate`() throws {
        var disk = Self.makeDisk()
        let result8 = disk.rotate(at: 0, isRunning: true)
        #expect(result8 == nil)
    }

    @Test func `an instance without a disk writes and uses nothing`() throws {
        var disk = Disk(spec: nil)
        let result9 = disk.write(at: 0)
        #expect(result9 == .written)
        #expect(disk.used(at: 0) == 0)
        let result10 = disk.resume(at: 0)
        #expect(!result10)
        #expect(disk.fillTime(at: 0) == nil)
    }
}
