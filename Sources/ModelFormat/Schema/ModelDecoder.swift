import FailureChains
import SimulationKernel

/// Turns a parsed model file into a `SystemModel`, reporting every problem to `Diagnostics`.
///
/// Defaults live in one place, `RunSettings.defaults`, the engine's spec initialisers and the
/// constants below, and are documented in `docs/model.md`.
struct ModelDecoder {
    let diagnostics: Diagnostics
    /// The names the file declares, as written; references are checked against it.
    var catalog = ModelCatalog()

    func decode(_ root: JSON5Node) -> SystemModel? {
        guard let object = ObjectReader(root, path: "", diagnostics: diagnostics) else { return nil }
        guard let version = object.integer("faultline", required: true) else { return nil }
        guard version == ModelLoader.newestVersion else {
            object.error("unsupported model version \(version); newest supported is \(ModelLoader.newestVersion)", key: "faultline")
            return nil
        }
        return ModelDecoder(diagnostics: diagnostics, catalog: ModelCatalog(root)).decodeModel(object)
    }

    private func decodeModel(_ object: ObjectReader) -> SystemModel? {
        let name = object.requiredString("name").flatMap { checkName($0, key: "name", in: object) }
        let run = decodeRun(object.object("run"))
        let serviceObjects = object.objects("services", required: true) ?? []
        let endpointObjects = object.objects("endpoints") ?? []
        let trafficObjects = object.objects("traffic") ?? []
        let userObjects = object.objects("users") ?? []
        let faultObjects = object.objects("faults") ?? []
        let queueObjects = object.objects("messageQueues") ?? []
        let lockObjects = object.objects("locks") ?? []
        // `variants` is read by VariantReader before the model is decoded; `antipattern` is the
        // gallery's line about the model (`faultline models`).
        _ = object.contains("variants")
        _ = object.string("antipattern")
        // `expect` is read by the expectation decoder, and its names checked against the model below.
        let expectations = ExpectationDecoder.read(object.array("expect") ?? [], file: diagnostics.file)
        let services = serviceObjects.compactMap(decodeService)
        let endpoints = endpointObjects.compactMap(decodeEndpoint)
        let traffic = trafficObjects.compactMap { decodeTrafficSource($0, run: run ?? .defaults) }
        let users = userObjects.compactMap(decodeUserPopulation)
        let decodedFaults = faultObjects.map { (object: $0, spec: decodeFault($0)) }
        let faults = decodedFaults.compactMap(\.spec)
        let decodedQueues = queueObjects.map { (object: $0, spec: decodeMessageQueue($0)) }
        let messageQueues = decodedQueues.compactMap(\.spec)
        let locks = lockObjects.map(decodeLock)
        object.finish()
        if faultObjects.count > ModelLimits.faults {
            object.error("a model may have at most \(ModelLimits.faults) faults, found \(faultObjects.count)", key: "faults")
        }
        checkSpikes(traffic: traffic, faults: decodedFaults)
        if let list = object.node("services"), case .array(let elements) = list.value, elements.isEmpty {
            object.error("a model needs at least one service", key: "services")
        }
        // Names are checked on every component as written, including those with other problems,
        // so that a user sees these problems too and no false ones.
        checkUniqueNames(modelName: name, components: serviceObjects + endpointObjects + trafficObjects + userObjects + queueObjects + lockObjects)
        checkConsumers(decodedQueues, services: services, traffic: traffic, users: users.map(\.spec))
        if services.count == serviceObjects.count { checkLocksUsed(lockObjects, services: services.map(\.spec)) }
        checkCallCycles(services: serviceObjects)
        checkTotals(services: services, users: users)
        var clients: [String: ClientBehaviour] = [:]
        for source in traffic where clients[source.name] == nil { clients[source.name] = source.behaviour }
        for population in users.map(\.spec) where clients[population.name] == nil { clients[population.name] = population.behaviour }
        checkExpectations(expectations, modelName: object.node("name")?.text, services: services.map(\.spec), clients: clients)
        guard let name, let run, !locks.contains(where: { $0 == nil }) else { return nil }
        var model = SystemModel(name: name, run: run, services: services.map(\.spec), traffic: traffic, users: users.map(\.spec),
                                endpoints: endpoints, faults: faults, expectations: expectations.compactMap(\.expectation),
                                messageQueues: messageQueues)
        model.locks = locks.compactMap { $0 }
        checkAssembly(model, in: object)
        return model
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
        let duration = object.duration("duration", bounds: Bounds(lower: .zero, isLowerInclusive: false, upper: ModelLimits.runDuration))
        run.duration = duration ?? run.duration
        // A duration that was reported as wrong is not compared with the warm-up or the interval.
        let isDurationKnown = duration != nil || object.node("duration") == nil
        run.warmup = object.duration("warmup", bounds: .atLeast(.zero)) ?? run.warmup
        if let seed = object.integer("seed", bounds: .atLeast(0)) { run.seed = UInt64(seed) }
        run.interval = object.duration("interval", bounds: .greaterThan(.zero)) ?? run.interval
        if let limit = object.integer("maximumEvents", bounds: Bounds(1...ModelLimits.events)) { run.maximumEvents = UInt64(limit) }
        if let count = object.integer("endAfterCompletions", bounds: .atLeast(1)) { run.endAfterCompletions = UInt64(count) }
        if let limit = object.integer("maximumPendingEvents", bounds: Bounds(1...ModelLimits.pendingEvents)) { run.limits.pendingEvents = limit }
        if let limit = object.integer("maximumLiveRequests", bounds: Bounds(1...ModelLimits.liveRequests)) { run.limits.liveRequests = limit }
        if let limit = object.integer("maximumConnections", bounds: Bounds(1...ModelLimits.connections)) { run.limits.connections = limit }
        if let limit = object.integer("maximumSeriesRows", bounds: Bounds(1...ModelLimits.seriesRows)) { run.limits.seriesRows = limit }
        if let limit = object.size("maximumMemory", bounds: Bounds(ModelLimits.memoryRange)) { run.limits.memoryBytes = limit }
        if let value = object.value("clockStart"), let text = value.string() {
            if let time = ClockTime.parse(text) {
                run.clockStart = time
            } else {
                value.error("expected a time of day \"HH:MM\" or \"HH:MM:SS\" from \"00:00\" to \"23:59:59\", found \"\(text)\"")
            }
        }
        if isDurationKnown, run.warmup >= run.duration {
            object.error("must be shorter than run.duration (\(Units.format(run.duration))), found \(Units.format(run.warmup))", key: "warmup")
        }
        if isDurationKnown, run.duration.nanoseconds / run.interval.nanoseconds > ModelLimits.seriesIntervals {
            object.error("gives more than \(ModelLimits.seriesIntervals) series intervals over run.duration; use a longer interval", key: "interval")
        }
        object.finish()
        return run
    }

    // MARK: Shared readers

    /// A duration, or a word meaning none (`"none"`, `"never"`).
    ///
    /// - Returns: `.some(nil)` for the word, `.some(interval)` for a duration, `default` when the
    ///   key is absent, and nil (after reporting) for anything else.
    func durationOrWord(_ object: ObjectReader, _ key: String, word: String, bounds: Bounds<Interval>,
                        default defaultValue: Interval?) -> Interval?? {
        guard let value = object.value(key) else { return .some(defaultValue) }
        if case .string(let text) = value.node.value {
            if text == word { return .some(nil) }
            if let first = text.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) {
                value.error("expected a duration such as \"5s\" or \"\(word)\", found \"\(text)\"")
                return nil
            }
        }
        guard let interval = value.duration(bounds: bounds) else { return nil }
        return .some(interval)
    }

    /// One of a fixed set of words, such as a strategy; `default` when the key is absent.
    func choice<Choice: RawRepresentable & CaseIterable>(_ object: ObjectReader, _ key: String, default defaultValue: Choice) -> Choice?
    where Choice.RawValue == String {
        guard let value = object.value(key) else { return defaultValue }
        guard let text = value.string() else { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let words = Choice.allCases.map(\.rawValue)
        let suggestion = NearestName.closest(to: text, among: words).map { "; did you mean '\($0)'?" } ?? ""
        value.error("expected one of \(words.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(text)\"\(suggestion)")
        return nil
    }

    /// Checks that `name`, the value of `key`, names a component of the given sort.
    ///
    /// - Returns: Whether it does; when not, the problem has been reported at the value.
    @discardableResult
    func checkReference(_ name: String, to sort: ModelCatalog.Sort, key: String, in object: ObjectReader) -> Bool {
        let candidates = catalog.names(of: sort)
        if candidates.contains(name) { return true }
        if let other = catalog.sort(of: name) {
            object.error("needs \(sort.withArticle); '\(name)' is \(other.withArticle)", key: key)
        } else {
            object.error("no \(sort.word) is named \"\(name)\"\(Self.suggestion(for: name, among: candidates))", key: key)
        }
        return false
    }

    /// Checks that `name`, the value of `key`, names an entry point of the service `service`,
    /// when that service and its entry points could be read.
    func checkEntryPoint(_ name: String, of service: String, key: String, in object: ObjectReader) {
        guard let entryPoints = catalog.service(named: service)?.entryPoints, !entryPoints.contains(name) else { return }
        object.error("no entry point of '\(service)' is named \"\(name)\"\(Self.suggestion(for: name, among: entryPoints))", key: key)
    }

    /// `; did you mean 'web'?` when a candidate is close, or nothing.
    static func suggestion(for name: String, among candidates: [String]) -> String {
        NearestName.closest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
