import FailureChains
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Reporting

/// One load level of a tipping map and its search.
public struct TippingLoad: Sendable {
    /// The load's value, in its range's unit.
    public var value: Double
    /// The search over the trigger at this load.
    public var search: TippingSearch

    /// Creates a load level with its search.
    public init(value: Double, search: TippingSearch) {
        self.value = value
        self.search = search
    }
}

/// Runs the searches of a tipping map, every load at once: each round gathers the runs every
/// unfinished search asks for and runs them on `jobs` threads, so the threads stay busy while
/// any load is still searching. The verdicts, and so the map, do not depend on `jobs`.
public enum TippingStudy {
    /// Runs every search to its end.
    ///
    /// - Parameters:
    ///   - loads: The loads, each with its search not yet started.
    ///   - jobs: Runs at once.
    ///   - plan: The plan of the probe at (load index, trigger value); called once per probe.
    ///   - progress: Called with (runs done, runs planned so far).
    /// - Returns: The loads with their searches finished.
    /// - Throws: What `plan` throws, or `StudyFailure` when a run fails. A run stopped by one of
    ///   `TippingProbePlan.growthLimits` is not a failure: it is metastable.
    public static func run(_ loads: [TippingLoad], jobs: Int,
                           plan: (Int, Double) throws -> TippingProbePlan,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [TippingLoad] {
        var loads = loads
        var plans: [String: TippingProbePlan] = [:]
        var done = 0
        while true {
            var requests: [(load: Int, request: TippingSearch.Request, plan: TippingProbePlan)] = []
            for (index, load) in loads.enumerated() {
                for request in load.search.nextRequests() {
                    let key = "\(index)/\(request.trigger)"
                    if plans[key] == nil { plans[key] = try plan(index, request.trigger) }
                    requests.append((index, request, plans[key]!))
                }
            }
            if requests.isEmpty { return loads }
            var tasks: [(request: Int, replication: Int)] = []
            for (index, entry) in requests.enumerated() {
                for replication in entry.request.replications { tasks.append((index, replication)) }
            }
            let planned = done + tasks.count
            let base = done
            let frozen = requests
            let runs = tasks
            let verdicts: [TippingVerdict]
            do {
                verdicts = try WorkPool.map(count: tasks.count, jobs: jobs, finished: { progress?(base + $0, planned) }) { index in
                    let (request, replication) = runs[index]
                    let probe = frozen[request].plan
                    do {
                        return probe.verdict(try StudyRunner.runOne(probe.plan, point: 0, replication: replication))
                    } catch StudyFailure.stopped(_, _, _, _, let key) where TippingProbePlan.growthLimits.contains(key) {
                        // Its backlog grew until the simulator's own limit stopped it: stuck.
                        return .metastable
                    }
                }
            } catch let failure as StudyFailure {
                throw failure
            } catch {
                throw StudyFailure.output(error as? OutputError ?? OutputError(.write, path: "", reason: "\(error)"))
            }
            done = planned
            var offset = 0
            for entry in requests {
                let count = entry.request.replications.count
                loads[entry.load].search.record(entry.request, verdicts: Array(verdicts[offset..<(offset + count)]))
                offset += count
            }
        }
    }
}
