import Experiments
import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import ModelFormat
import Reporting
import SimulationKernel

/// `faultline tipping`: the metastability map of a design, the smallest trigger at each load
/// after which the system does not come back.
enum TippingCommand {
    static let help = """
        USAGE: faultline tipping MODEL --load PATH=LOW..HIGH --trigger PATH=LOW..HIGH
                                 --recovered 'C.M@FROM..TO:AGG>VALUE' [options]

        At each of --points load levels from LOW to HIGH, finds the smallest trigger after which
        the system does not come back. Each probe (a load and a trigger value) runs R
        replications, with the same seeds at every probe (common random numbers), and judges
        each run: recovered when the --recovered condition holds; otherwise draining when the
        backlog (queue length plus threads busy of the --watch services) fell by more than 2%
        from the middle third of the window to the last third, metastable when it grew or stayed
        flat. The probability of tipping (metastable) gets a Wilson interval; a bisection on its
        estimate narrows on the trigger where it crosses one half, then adds replications to the
        two probes around it until the threshold's interval is within --precision of the
        trigger's range. Loads where even the largest trigger leaves the system more likely back
        than not, or the smallest more likely stuck, are reported as such.

        Values between the ends are interpolated in their own unit (1s..120s gives 60.5s,
        30/s..95/s gives 62.5/s; whole numbers stay whole). In --recovered, a time written
        +5m counts from the end of the trigger fault (the fault the trigger's path is in, or the
        model's only fault): at + duration, or for a crash when its instance is up again
        (at + restartDelay + startupTime). Each run stops at the end of the window.

          faultline tipping models/retry-storm.json5 --load traffic.shoppers.rate=300/s..420/s \\
              --points 9 --trigger services.pricing.lifecycle.restartDelay=5s..2m --precision 5% \\
              --recovered 'shoppers.successRatio@+3m..+6m:mean>0.95'

        DIR gets tipping.csv (a row per load: status, threshold and its interval, runs),
        probes.csv (a row per probe: verdicts and Wilson intervals), tipping.svg (the chart of the
        vulnerable region) and tipping.json. See docs/tipping.md.

        OPTIONS:
          --load PATH=LOW..HIGH     The load axis, such as traffic.shoppers.rate=30/s..95/s
          --trigger PATH=LOW..HIGH  The trigger axis, such as faults[0].duration=1s..120s
          --recovered SEL           What recovered means: a selector as --metric takes it, with
                                    >, >=, < or <= and a number
          --points N     Load levels, LOW and HIGH included (default: 8)
          -r, --replications R
                         Replications of each probe, and of each batch added (default: 20)
          --precision P  Stop when the threshold's interval is at most P of the trigger's
                         range, such as 10% (default: 10%)
          --max-replications M
                         The most replications of one probe (default: 4 × R)
          --level L      Confidence level of the Wilson intervals (default: 95%)
          --watch NAME   A service whose backlog tells metastable from draining; repeatable
                         (default: every service)
          -j, --jobs J   Runs at once (default: every core); results do not depend on it
          --seed N       Base seed (default: the model's run.seed)
          --variant NAME Map a variant of the model, one of its 'variants', as for 'run'
          --out DIR      Output folder (default: out/<model name>-tipping)
          --set PATH=VALUE
                         Change the model at every probe, as for 'run'; repeatable
          -h, --help     Show this help

        EXIT CODES: 0 ok, 1 the precision not reached at some load (raise --max-replications),
        64 usage, 65 invalid model, override or selector, or a run stopped by a limit, 66 model
        unreadable, 73/74 output cannot be created/written, 130/143 interrupted (nothing is written).
        """

    static func main(arguments: [String]) throws -> ExitStatus {
        var parsed = try ParsedArguments(arguments,
                                         valueOptions: ["--load", "--trigger", "--recovered", "--points", "--replications", "--precision",
                                                        "--max-replications", "--level", "--jobs", "--seed", "--out", "--variant"],
                                         repeatableOptions: ["--set", "--watch"], aliases: StudyOptions.aliases)
        if parsed.wantsHelp {
            Terminal.say(help)
            return .ok
        }
        guard parsed.positional.count == 1, let path = parsed.positional.first else {
            throw UsageError(message: parsed.positional.isEmpty ? "tipping needs a model file; see 'faultline tipping --help'"
                                                                : "tipping takes one model file, found \(parsed.positional.count)")
        }
        // --precision and --max-replications mean something else here than for a study.
        let precisionText = parsed.options.removeValue(forKey: "--precision")
        let maximumText = parsed.options.removeValue(forKey: "--max-replications")
        let options = try StudyOptions(parsed)
        let replications = parsed.options["--replications"] == nil ? 20 : options.replications
        var precision = 0.1
        if let text = precisionText {
            guard let value = StudyOptions.fraction(text), value > 0, value < 1 else {
                throw UsageError(message: "--precision needs a share of the trigger's range between 0 and 100%, such as 10% or 0.1, found '\(text)'")
            }
            precision = value
        }
        var maximum = 4 * replications
        if let text = maximumText {
            guard let count = Int(text), count >= replications, count <= 1_000_000 else {
                throw UsageError(message: "--max-replications needs a number from -r (\(replications)) to 1000000, found '\(text)'")
            }
            maximum = count
        }
        var points = 8
        if let text = parsed.options["--points"] {
            guard let count = Int(text), count >= 2, count <= 1000 else {
                throw UsageError(message: "--points needs a number of load levels from 2 to 1000, found '\(text)'")
            }
            points = count
        }
        func required(_ option: String, _ example: String) throws -> String {
            guard let text = parsed.options[option] else { throw UsageError(message: "tipping needs \(option), such as \(example)") }
            return text
        }
        let load: TippingRange, trigger: TippingRange, criterion: RecoveryCriterion
        do {
            load = try TippingRange(try required("--load", "--load traffic.shoppers.rate=30/s..95/s"))
        } catch let error as TippingRangeError { throw UsageError(message: "--load: \(error.message)") }
        do {
            trigger = try TippingRange(try required("--trigger", "--trigger 'faults[0].duration=1s..120s'"))
        } catch let error as TippingRangeError { throw UsageError(message: "--trigger: \(error.message)") }
        do {
            criterion = try RecoveryCriterion(try required("--recovered", "--recovered 'shoppers.successRatio@+5m..+10m:mean>0.95'"))
        } catch let error as TippingRangeError { throw UsageError(message: "--recovered: \(error.message)") }
        var seed: UInt64?
        if let text = parsed.options["--seed"] {
            guard let value = UInt64(text) else { throw UsageError(message: "--seed needs a non-negative integer, found '\(text)'") }
            seed = value
        }
        let constants = parsed.repeated["--set"] ?? []
        if let clash = constants.compactMap(Override.init).first(where: { $0.pathText == load.path || $0.pathText == trigger.path }) {
            throw UsageError(message: "--set \(clash.argument) sets an axis of the map; leave it out")
        }
        var setup = TippingSetup(file: path, constants: constants, load: load, trigger: trigger, criterion: criterion,
                                 watch: parsed.repeated["--watch"] ?? [], seed: seed, replications: replications, level: options.level)
        setup.variant = try PreparedRun.variant(parsed)
        let settings = TippingSearch.Settings(replications: replications, maximumReplications: maximum, precision: precision, level: options.level)
        // A range of whole numbers may have fewer values than points: each is mapped once.
        var levels: [Double] = []
        for index in 0..<points {
            let value = load.value(at: Double(index) / Double(points - 1))
            if levels.last != value { levels.append(value) }
        }
        points = levels.count
        let start = [TippingLoad](levels.map { TippingLoad(value: $0, search: TippingSearch(range: trigger, settings: settings)) })

        // The first probe is loaded before anything runs, so a wrong model says so at once.
        var printed: Set<String> = []
        let first: TippingProbePlan
        do {
            first = try setup.probe(load: levels[0], trigger: trigger.low)
            _ = try setup.probe(load: levels[points - 1], trigger: trigger.high)
        } catch {
            return report(error, path: path, printed: &printed)
        }
        let name = first.plan.points[0].model.name
        let directory = options.out ?? "out/\(name)-tipping"
        let meter = Terminal.showsProgress ? StudyProgress(points: 1) : nil
        var progress: (@Sendable (Int, Int) -> Void)?
        if let meter { progress = { done, planned in meter.update(done: done, planned: planned) } }
        Signals.catchInterruptions()
        defer { Signals.restore() }
        let clock = ContinuousClock.now
        var finished: [TippingLoad] = []
        do {
            try StudyFolder.write(to: directory, replacing: RunDirectory.tippingFiles) { _ in
                finished = try TippingStudy.run(start, jobs: options.jobs, plan: { index, value in
                    try setup.probe(load: levels[index], trigger: value)
                }, progress: progress)
                let chart = TippingTables.chart(finished, load: load, trigger: trigger, title: "Where \(name) tips")
                return [("tipping.csv", TippingTables.tippingCSV(finished, load: load)),
                        ("probes.csv", TippingTables.probesCSV(finished, load: load, level: options.level)),
                        ("tipping.svg", chart.svg()),
                        ("tipping.json", TippingTables.manifestJSON(setup, points: points, settings: settings, modelName: name,
                                                                     modelHash: first.plan.points[0].fileHash))]
            }
        } catch let error as TippingSetupError {
            meter?.finish()
            return report(error, path: path, printed: &printed)
        } catch let failure as StudyFailure {
            meter?.finish()
            return StudyCommand.report(failure, directory: directory, what: "the map")
        } catch let error as OutputError {
            meter?.finish()
            Terminal.complain("faultline: error: \(error)")
            return ExitStatus(error)
        }
        meter?.finish()
        let elapsed = ContinuousClock.now - clock
        Terminal.say(text(finished, load: load, trigger: trigger, criterion: criterion, level: options.level, replications: replications))
        let runs = finished.flatMap(\.search.probes).map(\.runs).reduce(0, +)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        Terminal.say("\(runs) runs (\(runs / points) a load on average) in \(PrintfText.format("%.1f", seconds)) s on \(options.jobs) thread\(options.jobs == 1 ? "" : "s")")
        Terminal.say("wrote \(directory)/tipping.csv, probes.csv, tipping.svg and tipping.json")
        let unmet = finished.filter { $0.search.result.status == .threshold && !$0.search.result.precisionReached }
        if !unmet.isEmpty {
            Terminal.complain("faultline: the threshold's interval is wider than \(StudyReportText.short(precision * 100))% of the trigger's range at \(unmet.map { load.text($0.value) }.joined(separator: ", ")) after \(maximum) replications of its probes (--max-replications); the tipping there is gradual, or needs more runs")
            return .expectationsFailed
        }
        return .ok
    }

    /// Prints a setup error and gives its status.
    static func report(_ error: TippingSetupError, path: String, printed: inout Set<String>) -> ExitStatus {
        switch error {
        case .usage(let message):
            Terminal.complain("faultline: error: \(message)")
            return .usage
        case .model(let errors):
            if errors.isUnreadableFile, let problem = errors.errors.first {
                Terminal.complain("faultline: error: cannot read \(path): \(problem.message)")
                return .noInput
            }
            for problem in errors.errors where printed.insert(problem.description).inserted { Terminal.complain(problem.description) }
            Terminal.complain("faultline: \(printed.count) problem\(printed.count == 1 ? "" : "s") in \(path)")
            return .badModel
        }
    }

    /// The map as a person reads it: a line per load.
    static func text(_ loads: [TippingLoad], load: TippingRange, trigger: TippingRange, criterion: RecoveryCriterion,
                     level: Double, replications: Int) -> String {
        var rows: [[String]] = [["load", "threshold", "interval", "probes", "runs", "draining", "metastable"]]
        for entry in loads {
            let result = entry.search.result
            let probes = entry.search.probes
            let threshold: String, interval: String
            switch result.status {
            case .threshold:
                threshold = result.estimate.map(trigger.text) ?? ""
                interval = "\(trigger.text(result.low!))..\(trigger.text(result.high!))" + (result.precisionReached ? "" : " (wide)")
            case .recovers:
                threshold = "none"; interval = "recovers up to \(trigger.text(trigger.high))"
            case .tips:
                threshold = "none"; interval = "tips from \(trigger.text(trigger.low))"
            }
            rows.append([load.text(entry.value), threshold, interval, String(probes.count), String(probes.map(\.runs).reduce(0, +)),
                         String(probes.map { $0.count(.draining) }.reduce(0, +)), String(probes.map { $0.count(.metastable) }.reduce(0, +))])
        }
        let header = "the smallest \(trigger.path) after which \(criterion.argument) fails and the backlog does not drain, by \(load.path)"
        let footnote = "(\(StudyReportText.short(level * 100))% Wilson intervals of the probability of tipping; \(replications) replications a probe, the same seeds at every probe)"
        return ([header] + StudyReportText.table(rows) + [footnote]).joined(separator: "\n")
    }
}
