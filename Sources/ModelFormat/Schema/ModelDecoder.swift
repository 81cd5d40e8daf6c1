import FailureChains
import SimulationKernel

/// Turns a parsed model file into a `SystemModel`, reporting every problem to `Diagnostics`.
///
/// Defaults live in one place, `RunSettings.defaults` and the constants below, and are documented
/// in `docs/model.md`.
struct ModelDecoder {
    let diagnostics: Diagnostics

    func decode(_ root: JSON5Node) -> SystemModel? {
        guard let object = ObjectReader(root, path: "", diagnostics: diagnostics) else { return nil }
        guard let version = object.integer("faultline", required: true) else { return nil }
        guard version == ModelLoader.newestVersion else {
            object.error("unsupported model version \(version); newest supported is \(ModelLoader.newestVersion)", key: "faultline")
            return nil
        }
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let run = decodeRun(object.object("run"))
        let serviceObjects = object.objects("services", required: true) ?? []
        let trafficObjects = object.objects("traffic") ?? []
        let userObjects = object.objects("users") ?? []
        let services = serviceObjects.compactMap(decodeService)
        let traffic = trafficObjects.compactMap(decodeTrafficSource)
        let users = userObjects.compactMap(decodeUserPopulation)
        object.finish()
        if let list = object.node("services"), case .array(let elements) = list.value, elements.isEmpty {
            object.error("a model needs at least one service", key: "services")
        }
        // Names and references are checked on every component as written, including those with
        // other problems, so that a user sees these problems too and no false ones: a target naming
        // a service whose threads are wrong is not reported as unknown.
        checkNamesAndReferences(modelName: name, services: serviceObjects, traffic: trafficObjects, users: userObjects)
        checkTotals(services: services, users: users)
        guard let name, let run else { return nil }
        return SystemModel(name: name, run: run, services: services.map(\.spec),
                           traffic: traffic.map(\.spec), users: users.map(\.spec))
    }

    /// Names appear in output files and folders: letters, digits, `_`, `-` and `.`, starting with a letter.
    func checkName(_ name: String, key: String, in object: ObjectReader) -> String? {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        let scalars = Array(name.unicodeScalars)
        let isValid = scalars.count <= ModelLimits.nameLength
            && scalars.first.map(isLetter) == true
            && scalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "." }
        guard isValid else {
            object.error("must be a name of 1 to \(ModelLimits.nameLength) letters, digits, '_', '-' or '.', starting with a letter, found \"\(name)\"", key: key)
            return nil
        }
        return name
    }

    func decodeRun(_ object: ObjectReader?) -> RunSettings? {
        var run = RunSettings.defaults
        guard let object else { return run }
        let duration = object.duration("duration", bounds: .greaterThan(.zero))
        run.duration = duration ?? run.duration
        // A duration that was reported as wrong is not compared with the warm-up or the interval.
        let isDurationKnown = duration != nil || object.node("duration") == nil
        run.warmup = object.duration("warmup", bounds: .atLeast(.zero)) ?? run.warmup
        if let seed = object.integer("seed", bounds: .atLeast(0)) { run.seed = UInt64(seed) }
        run.interval = object.duration("interval", bounds: .greaterThan(.zero)) ?? run.interval
        if let limit = object.integer("maximumEvents", bounds: Bounds(1...ModelLimits.events)) { run.maximumEvents = UInt64(limit) }
        if let count = object.integer("endAfterCompletions", bounds: .atLeast(1)) { run.endAfterCompletions = UInt64(count) }
        if isDurationKnown, run.warmup >= run.duration {
            object.error("must be shorter than run.duration (\(Units.format(run.duration))), found \(Units.format(run.warmup))", key: "warmup")
        }
        if isDurationKnown, run.duration.nanoseconds / run.interval.nanoseconds > 10_000_000 {
            object.error("gives more than 10000000 series intervals over run.duration; use a longer interval", key: "interval")
        }
        object.finish()
        return run
    }
}
