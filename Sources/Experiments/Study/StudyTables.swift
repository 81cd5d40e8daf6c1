import ModelFormat
import Reporting
import SimulationKernel

/// The text of a study's files: `replications.csv`, `study.csv`, `comparison.csv` and
/// `study.json`, documented in `docs/experiments.md`. The same records give the same bytes,
/// however the replications were split across threads, shards or machines.
public enum StudyTables {
    /// A number as the study files write it: an integer below 10¹⁵ in whole digits, otherwise the
    /// shortest decimal that reads back as the same double (`0.1`, `1e-07`), and `inf`, `-inf`.
    public static func number(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value.isNaN { return "nan" }
        if value == value.rounded(.towardZero) && abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func optional(_ value: Double?) -> String { value.map(number) ?? "" }

    /// The columns that tell the points apart: `point` and the parameters; none for `replicate`.
    static func pointHeader(_ plan: StudyLayout) -> [String] {
        plan.kind == .replicate ? [] : ["point"] + plan.parameters
    }

    static func pointFields(_ plan: StudyLayout, _ point: Int) -> [String] {
        plan.kind == .replicate ? [] : [String(point)] + plan.pointValues[point]
    }

    static func line(_ fields: [String]) -> String {
        fields.map(CSVText.field).joined(separator: ",") + "\n"
    }

    /// The fixed columns of `replications.csv` after the point's.
    static let replicationColumns = ["replication", "seed", "component", "metric", "window", "aggregate", "value"]

    /// One row per replication and measure, ordered by point, replication, then measure.
    public static func replicationsCSV(_ plan: StudyLayout, _ records: [ReplicationRecord]) -> String {
        var text = line(pointHeader(plan) + replicationColumns)
        for record in records {
            let front = pointFields(plan, record.point) + [String(record.replication), String(record.seed)]
            for measured in record.values {
                let key = measured.key
                text += line(front + [key.component, key.metric, key.window, key.aggregate, optional(measured.value)])
            }
        }
        return text
    }

    /// One row per point and measure: the mean, standard deviation and confidence interval.
    public static func studyCSV(_ plan: StudyLayout, _ intervals: [MetricInterval]) -> String {
        var text = line(pointHeader(plan) + ["component", "metric", "window", "aggregate", "n", "mean", "standardDeviation",
                                             "level", "ciLow", "ciHigh", "halfWidth", "relativeHalfWidth"])
        for row in intervals {
            let key = row.key
            text += line(pointFields(plan, row.point) + [key.component, key.metric, key.window, key.aggregate, String(row.count),
                optional(row.mean), optional(row.standardDeviation), number(plan.level),
                optional(row.interval?.lower), optional(row.interval?.upper), optional(row.interval?.halfWidth),
                optional(row.relativeHalfWidth)])
        }
        return text
    }

    /// One row per variant and measure: the paired difference variant − baseline and its interval,
    /// and the unpaired interval's half-width it is compared with.
    public static func comparisonCSV(_ plan: StudyLayout, _ differences: [PairedDifference]) -> String {
        var text = line(["variant", "baseline", "component", "metric", "window", "aggregate", "n", "baselineMean", "variantMean",
                         "difference", "differenceStandardDeviation", "level", "ciLow", "ciHigh", "halfWidth",
                         "unpairedHalfWidth", "widthRatio", "varianceReduction"])
        for difference in differences {
            let key = difference.key
            text += line([plan.pointValues[difference.variant].first ?? "", plan.pointValues[0].first ?? "",
                          key.component, key.metric, key.window, key.aggregate, String(difference.count),
                          number(difference.baselineMean), number(difference.variantMean), number(difference.paired.mean),
                          number(difference.differenceStandardDeviation), number(plan.level),
                          number(difference.paired.lower), number(difference.paired.upper), number(difference.paired.halfWidth),
                          number(difference.unpairedHalfWidth), optional(difference.widthRatio), optional(difference.varianceReduction)])
        }
        return text
    }

    /// `study.json`: what the study is, enough to check that shards belong together and to say
    /// how the numbers were made. It holds no time, host or thread count, so it is the same bytes
    /// for the same study.
    public static func manifestJSON(_ plan: StudyPlan, replications: Int, stopping: SequentialStopping.Decision?) -> String {
        func list(_ items: [String]) -> String { "[" + items.map(jsonString).joined(separator: ", ") + "]" }
        var lines = [
            "\"faultline\": \(jsonString(RunManifest.engineVersion))",
            "\"study\": \(jsonString(plan.kind.rawValue))",
            "\"name\": \(jsonString(plan.points[0].model.name))",
            "\"model\": \(jsonString(plan.points[0].file))",
            "\"modelHash\": \(jsonString(plan.points[0].fileHash.hexadecimalDigits))",
            "\"seedRule\": \"replication r of a point runs with seed FNV-1a-64(point's run.seed, 'replication', 0, r): the same seeds at every point of one run.seed\"",
            "\"replications\": \(replications)",
            "\"level\": \(number(plan.level))",
            "\"metrics\": \(list(plan.metricArguments))",
            "\"parameters\": \(list(plan.parameters))",
        ]
        if let precision = plan.precision {
            lines.append("\"precision\": \(number(precision))")
            lines.append("\"maximumReplications\": \(plan.maximumReplications)")
            if let stopping {
                lines.append("\"precisionReached\": \(stopping.reached)")
                if let decided = stopping.decidedBy { lines.append("\"decidedBy\": \(jsonString(decided.key.selectorText))") }
            }
        }
        let points = plan.points.map { point in
            "    {\"values\": \(list(point.values)), \"seed\": \(jsonString(String(point.model.run.seed))), \"model\": \(jsonString(point.file)), \"modelHash\": \(jsonString(point.fileHash.hexadecimalDigits)), "
                + (point.variant.map { "\"variant\": \(jsonString($0)), " } ?? "")
                + "\"overrides\": \(list(point.overrides)), \"effectiveModelHash\": \(jsonString(point.effectiveHash.hexadecimalDigits)), "
                // What --seed and --duration change is not in the overrides: the run as it ran.
                + "\"duration\": \(jsonString(Units.format(point.model.run.duration))), \"warmup\": \(jsonString(Units.format(point.model.run.warmup)))}"
        }
        lines.append("\"points\": [\n" + points.joined(separator: ",\n") + "\n  ]")
        return "{\n" + lines.map { "  " + $0 }.joined(separator: ",\n") + "\n}\n"
    }

    /// `shard.json`: which slice a shard folder holds.
    public static func shardJSON(_ shard: StudyShard, _ records: [ReplicationRecord]) -> String {
        "{\n  \"shard\": \(shard.index),\n  \"of\": \(shard.count),\n  \"replications\": \(records.count)\n}\n"
    }
}
