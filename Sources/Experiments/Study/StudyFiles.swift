/// The files of a study's folder, and of a shard's, in the order they are written (`study.json`
/// last, so a folder with it is a folder whose data files were all written first).
public enum StudyFiles {
    /// A whole study: `replications.csv`, `study.csv`, `comparison.csv` (for `compare`) and
    /// `study.json`.
    public static func complete(_ layout: StudyLayout, _ records: [ReplicationRecord], manifest: String) -> [(name: String, text: String)] {
        let points = layout.pointValues.count
        var files: [(name: String, text: String)] = [
            ("replications.csv", StudyTables.replicationsCSV(layout, records)),
            ("study.csv", StudyTables.studyCSV(layout, StudyStatistics.intervals(records, points: points, level: layout.level))),
        ]
        if layout.kind == .compare {
            files.append(("comparison.csv", StudyTables.comparisonCSV(layout, PairedDifference.differences(records, points: points, level: layout.level))))
        }
        files.append(("study.json", manifest))
        return files
    }

    /// One shard: its `replications.csv`, `shard.json`, and the whole study's `study.json`, which
    /// `merge` checks every shard agrees on.
    public static func shard(_ layout: StudyLayout, _ shard: StudyShard, _ records: [ReplicationRecord], manifest: String) -> [(name: String, text: String)] {
        [("replications.csv", StudyTables.replicationsCSV(layout, records)),
         ("study.json", manifest),
         ("shard.json", StudyTables.shardJSON(shard, records))]
    }
}
