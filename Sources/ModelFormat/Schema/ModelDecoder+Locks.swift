import FailureChains
import SimulationKernel

extension ModelDecoder {
    /// `{ name, keys, hot: { keys, share }, timeout, onTimeout }`: a lock of the model. One key by
    /// default (a global monitor); `timeout` `"none"` (the default) waits forever.
    func decodeLock(_ object: ObjectReader) -> LockSpec? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let keys = object.integer("keys", bounds: Bounds(1...ModelLimits.lockKeys))
        var hot: (keys: Int, share: Double)?? = .some(nil)
        if let hotObject = object.object("hot") {
            let hotKeys = hotObject.integer("keys", bounds: Bounds(1...ModelLimits.lockKeys), required: true)
            let share = hotObject.number("share", bounds: Bounds(0...1), required: true)
            hotObject.finish()
            if let hotKeys, let keys, hotKeys >= keys {
                hotObject.error("must be fewer than the lock's keys (\(keys)), found \(hotKeys)", key: "keys")
                hot = nil
            } else if let hotKeys, let share {
                hot = .some((hotKeys, share))
            } else {
                hot = nil
            }
            if object.node("keys") == nil {
                object.error("a hot set needs 'keys' on the lock, more than the hot keys", key: "hot")
                hot = nil
            }
        } else if object.node("hot") != nil {
            hot = nil
        }
        let timeout = durationOrWord(object, "timeout", word: "none", bounds: .positive, default: nil)
        let onTimeout = choice(object, "onTimeout", default: LockSpec.TimeoutAction.fail)
        if object.node("onTimeout") != nil && object.node("timeout") == nil {
            object.error("'onTimeout' says what a request does when its wait times out; give 'timeout' too", key: "onTimeout")
        }
        object.finish()
        guard let name, object.node("keys") == nil || keys != nil, let hot, let timeout, let onTimeout,
              object.node("onTimeout") == nil || object.node("timeout") != nil else { return nil }
        return LockSpec(name: name, keys: keys ?? 1, hotKeys: hot?.keys, hotShare: hot?.share ?? 0, timeout: timeout, onTimeout: onTimeout)
    }

    /// Every lock is taken by some step: a lock nobody takes is a mistake (a misspelt step).
    func checkLocksUsed(_ objects: [ObjectReader], services: [ServiceSpec]) {
        let used = Set(services.flatMap(\.lockNames))
        for object in objects {
            guard let name = object.node("name")?.text, !used.contains(name) else { continue }
            object.error("no step takes lock \"\(name)\"; add { lock: \"\(name)\", hold: \"5ms\" } to an entry point's steps, or remove the lock",
                         key: "name")
        }
    }
}
