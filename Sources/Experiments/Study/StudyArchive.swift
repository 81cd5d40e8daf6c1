#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Reporting

/// What is wrong with the shards given to `faultline merge`: every problem, each naming its folder.
public struct MergeError: Error, Sendable, CustomStringConvertible {
    /// One line per problem.
    public var problems: [String]

    public var description: String { problems.joined(separator: "\n") }
}

/// Reads the shard folders of one study back, for `faultline merge`.
public enum StudyArchive {
    /// A study put together from its shards.
    public struct Merged: Sendable {
        /// The study's `study.json`, the same bytes in every shard.
        public var manifest: String
        /// The tables' shape, read from it.
        public var layout: StudyLayout
        /// Every record, ordered by point, then replication.
        public var records: [ReplicationRecord]
    }

    /// Reads the shards and checks that they are exactly the N slices of one study.
    ///
    /// - Parameter folders: The shard folders, in any order.
    /// - Throws: `MergeError` listing every missing, duplicate, mismatched or damaged shard.
    public static func merge(_ folders: [String]) throws(MergeError) -> Merged {
        var problems: [String] = []
        struct Shard { var folder: String; var manifest: String; var index: Int; var count: Int; var rows: String; var stated: Int }
        var shards: [Shard] = []
        for folder in folders {
            func read(_ name: String) -> String? {
                FileManager.default.contents(atPath: folder + "/" + name).flatMap { String(data: $0, encoding: .utf8) }
            }
            guard let shardText = read("shard.json") else {
                problems.append(FileManager.default.fileExists(atPath: folder)
                    ? "\(folder): not a shard folder (it has no shard.json; a shard is written by --shard K/N)"
                    : "\(folder): no such folder")
                continue
            }
            guard let manifest = read("study.json"), let rows = read("replications.csv") else {
                problems.append("\(folder): the shard is incomplete (study.json or replications.csv is missing)")
                continue
            }
            guard let object = json(shardText), let index = (object["shard"] as? ManifestNumber)?.int, let count = (object["of"] as? ManifestNumber)?.int,
                  let stated = (object["replications"] as? ManifestNumber)?.int, count > 0, (0..<count).contains(index) else {
                problems.append("\(folder): shard.json cannot be read")
                continue
            }
            shards.append(Shard(folder: folder, manifest: manifest, index: index, count: count, rows: rows, stated: stated))
        }
        // The study is the one most shards belong to (the first given of those, on a tie), so one
        // stray folder given first does not make every good shard look foreign.
        var tally: [String: Int] = [:]
        for shard in shards { tally[shard.manifest, default: 0] += 1 }
        guard let first = shards.first(where: { tally[$0.manifest] == tally.values.max() }) else {
            throw MergeError(problems: problems.isEmpty ? ["no shard folders given"] : problems)
        }
        for shard in shards where shard.manifest != first.manifest {
            problems.append("\(shard.folder): belongs to another study than \(first.folder) (their study.json differ: another model, override, metric, seed or replication count)")
        }
        for shard in shards where shard.manifest == first.manifest && shard.count != first.count {
            problems.append("\(shard.folder): is shard \(shard.index)/\(shard.count), but \(first.folder) is one of \(first.count)")
        }
        var byIndex: [Int: String] = [:]
        for shard in shards where shard.manifest == first.manifest && shard.count == first.count {
            if let earlier = byIndex[shard.index] {
                problems.append("\(shard.folder): shard \(shard.index)/\(shard.count) is given twice (also \(earlier))")
            } else {
                byIndex[shard.index] = shard.folder
            }
        }
        let missing = (0..<first.count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            problems.append("missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(first.count)" }.joined(separator: ", ")) of \(first.count); run each with --shard K/\(first.count), N staying \(first.count) (with Slurm: sbatch --array=\(missing.map(String.init).joined(separator: ",")) and --shard $SLURM_ARRAY_TASK_ID/\(first.count), not $SLURM_ARRAY_TASK_COUNT)")
        }
        guard let layoutInfo = layout(first.manifest) else {
            throw MergeError(problems: problems + ["\(first.folder): study.json cannot be read"])
        }
        let (layout, replications) = layoutInfo
        var records: [ReplicationRecord] = []
        for shard in shards where shard.manifest == first.manifest && shard.count == first.count && byIndex[shard.index] == shard.folder {
            do {
                let read = try parse(shard.rows, layout: layout)
                let slice = StudyShard(index: shard.index, count: shard.count)
                let expected = (0..<layout.pointValues.count).flatMap { point in
                    (0..<replications).filter { slice.holds(point: point, replication: $0, replications: replications) }.map { [point, $0] }
                }
                let found = read.map { [$0.point, $0.replication] }
                if found != expected || read.count != shard.stated {
                    problems.append("\(shard.folder): replications.csv does not hold the replications of shard \(shard.index)/\(shard.count) (\(read.count) of \(expected.count) found); run that shard again")
                } else {
                    records += read
                }
            } catch {
                problems.append("\(shard.folder)/replications.csv: \(error.message)")
            }
        }
        if !problems.isEmpty { throw MergeError(problems: problems) }
        records.sort { ($0.point, $0.replication) < ($1.point, $1.replication) }
        return Merged(manifest: first.manifest, layout: layout, records: records)
    }

    /// The model's name a `study.json` states.
    public static func name(_ manifest: String) -> String? { json(manifest)?["name"] as? String }

    static func json(_ text: String) -> [String: Any]? {
        ManifestJSON.object(text)
    }

    /// The layout and the replications per point that a `study.json` states.
    static func layout(_ manifest: String) -> (StudyLayout, Int)? {
        guard let object = json(manifest), let kindText = object["study"] as? String, let kind = StudyPlan.Kind(rawValue: kindText),
              let parameters = object["parameters"] as? [String], let replications = (object["replications"] as? ManifestNumber)?.int,
              let level = (object["level"] as? ManifestNumber)?.double, let points = object["points"] as? [[String: Any]] else { return nil }
        let values = points.compactMap { $0["values"] as? [String] }
        guard values.count == points.count else { return nil }
        return (StudyLayout(kind: kind, parameters: parameters, pointValues: values, level: level), replications)
    }

    struct ParseError: Error { var message: String }

    /// The records of a `replications.csv`, in file order.
    static func parse(_ text: String, layout: StudyLayout) throws(ParseError) -> [ReplicationRecord] {
        let rows = CSVRows.parse(text)
        let front = layout.kind == .replicate ? 0 : 1 + layout.parameters.count
        let header = (layout.kind == .replicate ? [] : ["point"] + layout.parameters) + StudyTables.replicationColumns
        guard let first = rows.first, first == header else { throw ParseError(message: "line 1: not the header of this study's replications.csv") }
        var records: [ReplicationRecord] = []
        for (offset, row) in rows.dropFirst().enumerated() {
            let line = offset + 2
            guard row.count == header.count else { throw ParseError(message: "line \(line): \(row.count) fields, expected \(header.count)") }
            let point = front == 0 ? 0 : Int(row[0]) ?? -1
            guard layout.pointValues.indices.contains(point), let replication = Int(row[front]), let seed = UInt64(row[front + 1]) else {
                throw ParseError(message: "line \(line): the point, replication or seed cannot be read")
            }
            let valueText = row[front + 6]
            let value: Double? = valueText.isEmpty ? nil : valueText == "inf" ? .infinity : valueText == "-inf" ? -.infinity : Double(valueText)
            if !valueText.isEmpty && value == nil { throw ParseError(message: "line \(line): the value '\(valueText)' is not a number") }
            let key = StudyMetricKey(component: row[front + 2], metric: row[front + 3], window: row[front + 4], aggregate: row[front + 5])
            let measured = MeasuredValue(key: key, value: value)
            if let last = records.last, last.point == point, last.replication == replication {
                records[records.count - 1].values.append(measured)
            } else {
                records.append(ReplicationRecord(point: point, replication: replication, seed: seed, values: [measured]))
            }
        }
        return records
    }
}
