import Reporting

/// The text of a tipping map's files, `tipping.csv` and `probes.csv`, documented in
/// `docs/tipping.md`. Values of the axes are written as the model reads them (`62.5/s`, `47.25s`);
/// probabilities as `StudyTables.number` writes numbers.
public enum TippingTables {
    static func line(_ fields: [String]) -> String {
        fields.map(CSVText.field).joined(separator: ",") + "\n"
    }

    /// One row per load: how its search ended, the threshold and its interval, and the runs.
    public static func tippingCSV(_ loads: [TippingLoad], load: TippingRange) -> String {
        var text = line(["load", "status", "threshold", "thresholdLow", "thresholdHigh", "precisionReached",
                         "probes", "runs", "recovered", "draining", "metastable"])
        for entry in loads {
            let search = entry.search
            let result = search.result
            let probes = search.probes
            func total(_ verdict: TippingVerdict) -> String { String(probes.map { $0.count(verdict) }.reduce(0, +)) }
            text += line([load.text(entry.value), result.status.rawValue,
                          result.estimate.map(search.range.text) ?? "", result.low.map(search.range.text) ?? "",
                          result.high.map(search.range.text) ?? "", result.status == .threshold ? String(result.precisionReached) : "",
                          String(probes.count), String(probes.map(\.runs).reduce(0, +)),
                          total(.recovered), total(.draining), total(.metastable)])
        }
        return text
    }

    /// One row per probe, by load then trigger: its runs, their verdicts, and the Wilson intervals
    /// of the probabilities of tipping (metastable) and of recovering.
    public static func probesCSV(_ loads: [TippingLoad], load: TippingRange, level: Double) -> String {
        var text = line(["load", "trigger", "runs", "recovered", "draining", "metastable", "level",
                         "tipProbability", "tipLow", "tipHigh", "recoveryProbability", "recoveryLow", "recoveryHigh"])
        for entry in loads {
            for probe in entry.search.probes {
                let tip = probe.tipInterval(level: level), recovery = probe.recoveryInterval(level: level)
                text += line([load.text(entry.value), entry.search.range.text(probe.trigger), String(probe.runs),
                              String(probe.count(.recovered)), String(probe.count(.draining)), String(probe.count(.metastable)),
                              StudyTables.number(level),
                              StudyTables.number(tip.estimate), StudyTables.number(tip.lower), StudyTables.number(tip.upper),
                              StudyTables.number(recovery.estimate), StudyTables.number(recovery.lower), StudyTables.number(recovery.upper)])
            }
        }
        return text
    }

    /// The chart of the vulnerable region.
    public static func chart(_ loads: [TippingLoad], load: TippingRange, trigger: TippingRange, title: String) -> TippingChart {
        TippingChart(
            title: title,
            loadAxis: TippingChart.Axis(label: load.path, unit: load.unitName, low: load.low, high: load.high),
            triggerAxis: TippingChart.Axis(label: trigger.path, unit: trigger.unitName, low: trigger.low, high: trigger.high),
            boundary: loads.map { entry in
                let result = entry.search.result
                let status: TippingChart.Status = switch result.status {
                case .threshold: .threshold
                case .recovers: .recovers
                case .tips: .tips
                }
                return TippingChart.Boundary(load: entry.value, status: status, estimate: result.estimate, low: result.low, high: result.high)
            },
            probes: loads.flatMap { entry in
                entry.search.probes.map { TippingChart.Probe(load: entry.value, trigger: $0.trigger, tipProbability: $0.tipEstimate, runs: $0.runs) }
            })
    }
}

extension TippingTables {
    /// `tipping.json`: what the map is of and how it was made, with no time, host or thread count.
    public static func manifestJSON(_ setup: TippingSetup, points: Int, settings: TippingSearch.Settings, modelName: String, modelHash: UInt64) -> String {
        func list(_ items: [String]) -> String { "[" + items.map(jsonString).joined(separator: ", ") + "]" }
        let lines = [
            "\"faultline\": \(jsonString(RunManifest.engineVersion))",
            "\"study\": \"tipping\"",
            "\"name\": \(jsonString(modelName))",
            "\"model\": \(jsonString(setup.file))",
            "\"modelHash\": \(jsonString(modelHash.hexadecimalDigits))",
            "\"overrides\": \(list(setup.constants))",
            "\"load\": \(jsonString(setup.load.argument))",
            "\"points\": \(points)",
            "\"trigger\": \(jsonString(setup.trigger.argument))",
            "\"recovered\": \(jsonString(setup.criterion.argument))",
            "\"watch\": \(list(setup.watch))",
            "\"seed\": \(setup.seed.map { jsonString(String($0)) } ?? "null")",
            "\"seedRule\": \"replication r of every probe runs with seed FNV-1a-64(run.seed, 'replication', 0, r): the same seeds at every load and trigger\"",
            "\"replications\": \(settings.replications)",
            "\"maximumReplications\": \(settings.maximumReplications)",
            "\"precision\": \(StudyTables.number(settings.precision))",
            "\"level\": \(StudyTables.number(settings.level))",
            "\"drainingDrop\": \(StudyTables.number(TippingProbePlan.drainingDrop))",
        ]
        return "{\n" + lines.map { "  " + $0 }.joined(separator: ",\n") + "\n}\n"
    }
}
