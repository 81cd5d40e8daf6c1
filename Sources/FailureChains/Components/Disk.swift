import SimulationKernel

/// The disk of one service instance: the bytes its logs take, the share at which its writes fail,
/// and the rotation that frees space.
///
/// The disk knows no event queue: its methods take the time and say what happened (a write
/// failed, the disk filled, a rotation freed it), and the simulation schedules the rotation and
/// fill timers, fails the requests and records the state changes. Bytes are whole numbers: the
/// per-second writes of the current file since it grows are ⌊perSecond × elapsed / 1 s⌋, computed
/// without overflow, so the same times give the same bytes on every machine. The disk keeps its
/// bytes across crashes and restarts; it grows by the second only while the instance is up.
package struct Disk {
    /// What a request's write did.
    package enum Write: Equatable {
        /// The bytes were written; the disk has room.
        case written
        /// The bytes were written and reached `failAt`: the disk is full from now on, and this
        /// request's write fails too.
        case filled
        /// The disk was full already: the write failed, and nothing was written.
        case failed
    }

    /// What a rotation did.
    package struct Rotation: Equatable {
        /// Bytes deleted (or shipped off the host): the closed files beyond `keep`.
        package var freed: Int64
        /// Whether the disk was full and now has room below `failAt` again.
        package var recovered: Bool
    }

    /// The disk's size, growth and rotation, or nil for an instance without one.
    package let spec: DiskSpec?
    /// The bytes used at which writes fail, ⌈size × failAt⌉.
    package let failBytes: Int64
    /// The closed log files kept, oldest first, in bytes.
    package private(set) var keptFiles: [Int64] = []
    /// Bytes of the closed files kept.
    package private(set) var keptBytes: Int64 = 0
    /// Bytes of the current log file, not counting the per-second growth since `growingSince`.
    package private(set) var fileBytes: Int64 = 0
    /// Since when, in nanoseconds, the per-second writes grow the current file; nil while they
    /// are paused (the instance down, or the disk full).
    package private(set) var growingSince: Int64?
    /// Whether writes fail: the bytes used reached `failBytes`, and no rotation freed it since.
    package private(set) var isFull = false
    /// Identifies the pending fill timer; every change that moves the fill time starts a new one.
    package private(set) var epoch: UInt32 = 0

    /// Creates a disk holding its baseline, with nothing written yet.
    ///
    /// - Parameter spec: The service's disk, or nil for none.
    package init(spec: DiskSpec?) {
        self.spec = spec
        failBytes = spec?.failBytes ?? Int64.max
    }

    /// Bytes the per-second writes added to the current file since `growingSince`.
    private func grown(at now: Int64) -> Int64 {
        guard let spec, let since = growingSince, spec.perSecond > 0, now > since else { return 0 }
        let product = spec.perSecond.multipliedFullWidth(by: now - since)
        return Int64(1_000_000_000).dividingFullWidth(product).quotient
    }

    /// Bytes in use: the baseline, the closed files kept and the current file; 0 without a disk.
    ///
    /// - Parameter now: The current time, in nanoseconds.
    package func used(at now: Int64) -> Int64 {
        guard let spec else { return 0 }
        return spec.baseline + keptBytes + fileBytes + grown(at: now)
    }

    /// Bytes in use as a share of the disk's size; 0 without a disk.
    ///
    /// - Parameter now: The current time, in nanoseconds.
    package func usedShare(at now: Int64) -> Double {
        guard let spec else { return 0 }
        return Double(used(at: now)) / Double(spec.size)
    }

    /// The per-second writes start (or go on) from now: the instance is up.
    ///
    /// - Parameter now: The current time, in nanoseconds.
    /// - Returns: Whether the fill time moved (a new fill timer is due): the disk was paused and is not full.
    package mutating func resume(at now: Int64) -> Bool {
        guard spec != nil, growingSince == nil, !isFull else { return false }
        growingSince = now
        epoch &+= 1
        return true
    }

    /// The per-second writes stop: the instance is down. What they wrote stays.
    ///
    /// - Parameter now: The current time, in nanoseconds.
    package mutating func pause(at now: Int64) {
        guard growingSince != nil else { return }
        fileBytes += grown(at: now)
        growingSince = nil
        epoch &+= 1
    }

    /// When the per-second writes alone bring the disk to `failBytes`, in nanoseconds, or nil
    /// when they never do from here (no per-second writes, paused, or full).
    ///
    /// Writes for requests bring the real fill earlier; `write(at:)` notices it then.
    ///
    /// - Parameter now: The current time, in nanoseconds.
    package func fillTime(at now: Int64) -> Int64? {
        guard let spec, let since = growingSince, spec.perSecond > 0, !isFull else { return nil }
        let missing = failBytes - (spec.baseline + keptBytes + fileBytes)
        guard missing > 0 else { return now }
        // The first t with ⌊perSecond × (t − since) / 1 s⌋ ≥ missing: t − since = ⌈missing × 1 s / perSecond⌉.
        // Beyond any run's end (100 years is 3.2e18 ns): never, and the exact division below cannot overflow.
        guard Double(missing) * 1e9 / Double(spec.perSecond) < 4e18 else { return nil }
        let product = missing.multipliedFullWidth(by: 1_000_000_000)
        let (quotient, remainder) = spec.perSecond.dividingFullWidth(product)
        let (end, overflow) = since.addingReportingOverflow(remainder > 0 ? quotient + 1 : quotient)
        return overflow ? nil : Swift.max(end, now)
    }

    /// A fill timer fired: whether the disk filled now.
    ///
    /// - Parameters:
    ///   - epoch: The epoch the timer was set in; an older one changes nothing.
    ///   - now: The current time, in nanoseconds.
    /// - Returns: Whether the disk became full.
    package mutating func fillDue(epoch: UInt32, at now: Int64) -> Bool {
        guard epoch == self.epoch, !isFull, used(at: now) >= failBytes else { return false }
        becomeFull(at: now)
        return true
    }

    /// Writes the log of one request the instance served to the end of its steps.
    ///
    /// - Parameter now: The current time, in nanoseconds.
    /// - Returns: Whether the write went through, filled the disk, or failed on a full disk.
    package mutating func write(at now: Int64) -> Write {
        guard let spec else { return .written }
        if isFull { return .failed }
        fileBytes += spec.perRequest
        guard used(at: now) >= failBytes else { return .written }
        becomeFull(at: now)
        return .filled
    }

    /// Rotates the logs: the current file is closed, and closed files beyond `keep` are deleted.
    ///
    /// - Parameters:
    ///   - now: The current time, in nanoseconds.
    ///   - isRunning: Whether the instance is up, so that a disk with room again grows anew.
    /// - Returns: What the rotation freed, and whether a full disk has room again; nil without a
    ///   rotation policy.
    package mutating func rotate(at now: Int64, isRunning: Bool) -> Rotation? {
        guard let rotation = spec?.rotation else { return nil }
        let closed = fileBytes + grown(at: now)
        fileBytes = 0
        if growingSince != nil { growingSince = now }
        keptFiles.append(closed)
        keptBytes += closed
        var freed: Int64 = 0
        while keptFiles.count > rotation.keep {
            freed += keptFiles.removeFirst()
        }
        keptBytes -= freed
        epoch &+= 1
        var recovered = false
        if isFull && used(at: now) < failBytes {
            isFull = false
            recovered = true
            if isRunning { growingSince = now }
        }
        return Rotation(freed: freed, recovered: recovered)
    }

    /// The disk is full: the per-second writes stop, and every later write fails.
    private mutating func becomeFull(at now: Int64) {
        pause(at: now)
        isFull = true
        epoch &+= 1
    }
}
