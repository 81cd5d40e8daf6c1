#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The output folder of one run: written privately, then put in place as a whole.
///
/// A run writes its files into a private folder beside the target, `.NAME.XXXXXX` (made by
/// `mkdtemp`, so no other run shares it), forces every file and the folder to the disk, and only
/// then publishes it: with `rename(2)` when the target does not exist, and otherwise by exchanging
/// the two folders in one step (`renameat2` with `RENAME_EXCHANGE`), after which the old contents
/// are removed. So at every moment the target holds the complete files of one run, or does not
/// exist yet; two runs into one folder leave the files of the one that published last, and a run
/// that fails or is killed leaves the earlier files untouched (a killed run may leave its hidden
/// private folder behind, which can be deleted).
///
/// A target that exists must hold nothing but a run's files (`runFiles`), because it is replaced
/// whole: Faultline never replaces a folder of other files, a symbolic link or a mount point.
public final class RunDirectory {
    /// The folder the run's files end up in, as given.
    public let target: String
    /// The private folder the files are written into meanwhile.
    public let privatePath: String
    private var isFinished = false
    /// The names a folder may hold for it to be replaced.
    private let replaceableNames: Set<String>

    /// The names a run writes into its folder (`report.html` with `--report` or `faultline
    /// report`); a folder holding only these may be replaced.
    public static let runFiles: Set<String> = ["run.json", "series.csv", "events.csv", "summary.csv", "report.html"]

    /// The names a study writes into its folder (`faultline replicate`, `sweep`, `compare`,
    /// `merge`), `runs` holding the runs kept with `--keep-runs`.
    public static let studyFiles: Set<String> = ["study.json", "study.csv", "replications.csv", "comparison.csv", "shard.json", "runs", "report.html"]

    /// The names `faultline tipping` writes into its folder.
    public static let tippingFiles: Set<String> = ["tipping.csv", "probes.csv", "tipping.svg", "tipping.json", "report.html"]

    /// Checks the target and makes the private folder beside it, and any missing parent folders.
    ///
    /// - Parameters:
    ///   - target: The output folder.
    ///   - replacing: The names a folder may hold and still be replaced: `runFiles` for a run's
    ///     folder, `studyFiles` for a study's.
    /// - Throws: `OutputError` (`.create`) when the target is a file, a folder of other files, or
    ///   when the private folder cannot be made.
    public init(target: String, replacing: Set<String> = RunDirectory.runFiles) throws(OutputError) {
        replaceableNames = replacing
        var trimmed = target
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.target = trimmed
        let url = URL(fileURLWithPath: trimmed)
        let name = trimmed.split(separator: "/").last.map(String.init) ?? "/"
        guard !name.isEmpty, name != ".", name != "..", name != "/" else {
            throw OutputError(.create, path: target, reason: "name a folder of its own for the run's files (it is replaced as a whole)")
        }
        try Self.checkReplaceable(trimmed, names: replacing)
        let parent = url.deletingLastPathComponent().path
        try Self.makeFolders(parent)
        // `.NAME.XXXXXX` must fit the 255 bytes a name may have.
        var stem = url.lastPathComponent
        while stem.utf8.count > 200 { stem.removeLast() }
        var template = Array(((parent == "/" ? "/" : parent + "/") + "." + stem + ".XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw OutputError(.create, path: trimmed, errno: errno)
        }
        privatePath = String(cString: template)
        chmod(privatePath, 0o777 & ~Self.fileCreationMask)
    }

    deinit {
        if !isFinished { abandon() }
    }

    /// The path, inside the private folder, of a file of the run.
    public func path(of name: String) -> String {
        privatePath + "/" + name
    }

    /// The error with the private folder's name replaced by the target's, as the user knows it.
    public func naming(_ error: OutputError) -> OutputError {
        var error = error
        if error.path == privatePath || error.path.hasPrefix(privatePath + "/") { error.path = target + error.path.dropFirst(privatePath.count) }
        return error
    }

    /// Forces the private folder to the disk and puts it in place of the target, as a whole.
    ///
    /// - Throws: `OutputError` when the target became a file or a folder of other files meanwhile,
    ///   or when the system refuses the move; the private folder is removed then.
    public func publish() throws(OutputError) {
        guard !isFinished else { return }
        do {
            try Self.syncFolder(privatePath)
            try moveIntoPlace()
        } catch {
            abandon()
            throw error
        }
        isFinished = true
        try? Self.syncFolder(URL(fileURLWithPath: target).deletingLastPathComponent().path)
    }

    /// Removes the private folder and what it holds; the target is left as it was.
    public func abandon() {
        isFinished = true
        try? FileManager.default.removeItem(atPath: privatePath)
    }

    private func moveIntoPlace() throws(OutputError) {
        // Another run may publish between any two of these steps: each step is atomic, and a step
        // that finds the target changed under it is retried from the top.
        for _ in 0..<100 {
            if rename(privatePath, target) == 0 { return }
            let code = errno
            guard code == EEXIST || code == ENOTEMPTY else { throw OutputError(.write, path: target, errno: code) }
            try Self.checkReplaceable(target, names: replaceableNames)
            switch Self.exchange(privatePath, target) {
            case 0:
                // The private path now holds the earlier files.
                try? FileManager.default.removeItem(atPath: privatePath)
                return
            case ENOENT:
                continue  // the target went away meanwhile: try the plain rename again
            case EINVAL, ENOSYS, ENOTSUP:
                try moveAsideAndRename()
                return
            case let other:
                throw OutputError(.write, path: target, errno: other)
            }
        }
        throw OutputError(.write, path: target, reason: "other runs kept replacing it; try again")
    }

    /// For file systems without an atomic exchange: moves the old folder aside, then the new one in.
    /// The target is missing for a moment, but never holds a mixture of two runs.
    private func moveAsideAndRename() throws(OutputError) {
        let aside = privatePath + ".old"
        if rename(target, aside) != 0, errno != ENOENT { throw OutputError(.write, path: target, errno: errno) }
        if rename(privatePath, target) != 0 {
            let code = errno
            _ = rename(aside, target)
            throw OutputError(.write, path: target, errno: code)
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// Refuses a target that is a file, a symbolic link, a mount point, or a folder that holds
    /// anything but a run's files; an absent target is fine.
    private static func checkReplaceable(_ target: String, names: Set<String>) throws(OutputError) {
        var info = stat()
        guard lstat(target, &info) == 0 else { return }  // absent: fine
        if info.st_mode & S_IFMT == S_IFLNK {
            throw OutputError(.create, path: target, reason: "it is a symbolic link, which a run would replace; name the folder it points to")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw OutputError(.create, path: target, errno: EEXIST)
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: target) else {
            throw OutputError(.create, path: target, errno: EACCES)
        }
        // Only a folder of a run's own files is replaced (a run's files, or some of them while
        // another run deletes the folder it replaced): a folder with anything else in it is not.
        let others = entries.filter { !names.contains($0) }.sorted()
        if !others.isEmpty {
            let named = others.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (others.count > 3 ? ", ..." : "")
            throw OutputError(.create, path: target, reason:
                "it holds \(named), which a run did not write, and a run replaces its output folder as a whole; name a new or empty folder, or one an earlier run wrote")
        }
        var parent = stat()
        if stat(URL(fileURLWithPath: target).deletingLastPathComponent().path, &parent) == 0, parent.st_dev != info.st_dev {
            throw OutputError(.create, path: target, reason:
                "it is a mount point, which a run cannot replace as a whole; name a folder inside it")
        }
    }

    /// The process's umask (read by setting it and setting it back, at the first use).
    static let fileCreationMask: mode_t = {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()

    /// `mkdir -p`, with plain messages.
    static func makeFolders(_ path: String) throws(OutputError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw OutputError(.create, path: path, errno: ENOTDIR) }
            return
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if parent != path { try makeFolders(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw OutputError(.create, path: path, errno: errno) }
    }

    /// `fsync` of a folder, so that the names in it are on the disk too.
    private static func syncFolder(_ path: String) throws(OutputError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw OutputError(.write, path: path, errno: errno) }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 && errno != EINVAL { throw OutputError(.write, path: path, errno: errno) }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// `renameat2(2)` with `RENAME_EXCHANGE`, looked up at run time (the C library declares it
    /// only under `_GNU_SOURCE`, which Swift's module for it does not set).
    ///
    /// - Returns: 0 when the two paths were exchanged, otherwise the `errno` value (`ENOSYS` where
    ///   the call does not exist).
    private static func exchange(_ first: String, _ second: String) -> Int32 {
        #if os(Linux)
        guard let symbol = renameAt2 else { return ENOSYS }
        let renameExchange: UInt32 = 1 << 1
        return symbol(AT_FDCWD, first, AT_FDCWD, second, renameExchange) == 0 ? 0 : errno
        #else
        return ENOSYS
        #endif
    }

    #if os(Linux)
    private static let renameAt2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    #endif
}
