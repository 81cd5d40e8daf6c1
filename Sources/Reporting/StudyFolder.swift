/// The output folder of a study (`replicate`, `sweep`, `compare`, a shard of one, or `merge`):
/// its files written privately and put in place as a whole, as a run's folder is (`RunDirectory`).
public enum StudyFolder {
    /// Makes a private folder beside `target`, lets `fill` write into it (the runs kept with
    /// `--keep-runs`, while the study runs) and give the study's files, writes those, and
    /// publishes the folder in place of `target`.
    ///
    /// - Parameters:
    ///   - target: The study's folder; if it exists it must hold only a study's files.
    ///   - names: The names such a folder holds (`RunDirectory.studyFiles`, or `tippingFiles`).
    ///   - fill: Called with the private folder's path; returns each file's name and text, in
    ///     writing order.
    /// - Throws: `OutputError`, naming the target, or what `fill` throws; the private folder is
    ///   removed then, and nothing is left in place of `target` that looks complete.
    public static func write(to target: String, replacing names: Set<String> = RunDirectory.studyFiles,
                             fill: (String) throws -> [(name: String, text: String)]) throws {
        let folder = try RunDirectory(target: target, replacing: names)
        do {
            let files = try fill(folder.privatePath)
            for (name, text) in files {
                try OutputFile.write(text, to: folder.path(of: name))
            }
            try folder.publish()
        } catch let error as OutputError {
            folder.abandon()
            throw folder.naming(error)
        } catch {
            folder.abandon()
            throw error
        }
    }
}
