import SimulationKernel

/// The glue of the instances' disks: the rotation and fill timers, the failed writes of requests
/// and the state changes. A model without a disk has an empty `disks` table and none of this runs.
extension ChainSimulation {
    /// Starts the disks at time 0: per-second writes on the instances that run, the fill timers,
    /// and the rotation timers of every instance whose disk rotates.
    func startDisks() {
        guard hasDisks else { return }
        for instance in instances.ids where disks[instance].spec != nil {
            if instances[instance].state == .up { resumeDisk(instance) }
            if let rotation = disks[instance].spec?.rotation {
                eventQueue.schedule(.instance(.diskRotationDue(instance: instance)), at: .zero + rotation.every)
            }
        }
    }

    /// The instance is up: its per-second writes go on, and its fill timer is set anew.
    func resumeDisk(_ instance: InstanceID) {
        guard hasDisks, disks[instance].resume(at: now) else { return }
        scheduleDiskFill(instance)
    }

    /// The instance is down: its per-second writes stop, and its fill timer no longer counts.
    func pauseDisk(_ instance: InstanceID) {
        guard hasDisks else { return }
        disks[instance].pause(at: now)
    }

    /// Sets the timer for the instant the per-second writes alone fill the disk, if they ever do.
    private func scheduleDiskFill(_ instance: InstanceID) {
        guard let fill = disks[instance].fillTime(at: now) else { return }
        eventQueue.schedule(.instance(.diskFillDue(instance: instance, epoch: disks[instance].epoch)),
                            at: Instant(nanoseconds: fill))
    }

    /// A fill timer fired: the disk is full, unless the timer is stale.
    func diskFillDue(_ instance: InstanceID, epoch: UInt32) {
        guard disks[instance].fillDue(epoch: epoch, at: now) else { return }
        recordDiskFull(instance, cause: "writes per second")
    }

    /// A request served to the end of its steps writes its log: on a full disk (or the write
    /// that fills it) the write fails, and so does the request.
    ///
    /// - Returns: Whether the write went through.
    func writeLog(on instance: InstanceID) -> Bool {
        switch disks[instance].write(at: now) {
        case .written: return true
        case .filled:
            recordDiskFull(instance, cause: "writes for requests")
            return false
        case .failed: return false
        }
    }

    /// Rotates an instance's logs, and sets the next rotation.
    func rotateDisk(_ instance: InstanceID) {
        guard let rotation = disks[instance].spec?.rotation else { return }
        eventQueue.schedule(.instance(.diskRotationDue(instance: instance)), at: instantNow + rotation.every)
        let isRunning = instances[instance].state == .up
        guard let result = disks[instance].rotate(at: now, isRunning: isRunning) else { return }
        if result.recovered {
            record(instances[instance].name, "diskRecovered",
                   "rotation freed \(bytes: result.freed); \(percentWithTenth: disks[instance].usedShare(at: now)) used", cause: "diskFull")
        }
        if isRunning { scheduleDiskFill(instance) }
    }

    private func recordDiskFull(_ instance: InstanceID, cause: EventText) {
        guard let spec = disks[instance].spec else { return }
        record(instances[instance].name, "diskFull",
               "\(bytes: disks[instance].used(at: now)) of \(bytes: spec.size) used (\(percentWithTenth: disks[instance].usedShare(at: now))): writes fail",
               cause: cause)
    }
}
