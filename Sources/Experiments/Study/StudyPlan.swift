import FailureChains
import SimulationKernel

/// A study: model variants (points), each replicated with the same seeds, and what to measure.
public struct StudyPlan: Sendable {
    /// Which command made the study.
    public enum Kind: String, Sendable {
        /// One model, R replications.
        case replicate
        /// A grid (or zip) of overrides, each point replicated.
        case sweep
        /// A baseline and its variants, paired on common random numbers.
        case compare
    }

    /// One variant of the model.
    public struct Point: Sendable {
        /// The point's values of `StudyPlan.parameters`, as given: `["6"]`; for `compare`, the
        /// variant's name: `["baseline"]`.
        public var values: [String]
        /// The model with the point's overrides applied.
        public var model: SystemModel
        /// The `--set` arguments that make this point, in order (the study's constants first).
        public var overrides: [String]
        /// FNV-1a-64 of the model file and these overrides (`LoadedModel.effectiveHash`).
        public var effectiveHash: UInt64
        /// The model file it was read from.
        public var file: String
        /// FNV-1a-64 of that file's bytes.
        public var fileHash: UInt64
        /// The variant of the file (`--variant`), or nil for its baseline.
        public var variant: String?

        /// Creates a point.
        public init(values: [String], model: SystemModel, overrides: [String], effectiveHash: UInt64, file: String, fileHash: UInt64) {
            self.values = values
            self.model = model
            self.overrides = overrides
            self.effectiveHash = effectiveHash
            self.file = file
            self.fileHash = fileHash
        }
    }

    /// The command.
    public var kind: Kind
    /// The names of the columns that tell the points apart: the swept paths
    /// (`services.web.instances`), `variant` for `compare`, none for `replicate`.
    public var parameters: [String]
    /// The points, in order: a sweep's grid with its first parameter varying slowest; for
    /// `compare`, the baseline first.
    public var points: [Point]
    /// Replications per point (the first batch, when a precision is asked for).
    public var replications: Int
    /// What is measured.
    public var measures: StudyMeasures
    /// The `--metric` arguments, as given.
    public var metricArguments: [String]
    /// The confidence level of every interval, in (0, 1).
    public var level: Double
    /// The relative half-width to reach by adding replications (`--precision`), or nil.
    public var precision: Double?
    /// The most replications per point when a precision is asked for.
    public var maximumReplications: Int

    /// Creates a plan.
    public init(kind: Kind, parameters: [String], points: [Point], replications: Int,
                measures: StudyMeasures, metricArguments: [String], level: Double,
                precision: Double? = nil, maximumReplications: Int? = nil) {
        self.kind = kind
        self.parameters = parameters
        self.points = points
        self.replications = replications
        self.measures = measures
        self.metricArguments = metricArguments
        self.level = level
        self.precision = precision
        self.maximumReplications = maximumReplications ?? replications
    }

    /// What the study's tables need to know of it.
    public var layout: StudyLayout {
        StudyLayout(kind: kind, parameters: parameters, pointValues: points.map(\.values), level: level)
    }

    /// The seed of replication `replication` of a point: `Replications.seed(base:point:replication:)`
    /// over the point's `run.seed`, with point 0. Points with the same `run.seed` (all of them,
    /// unless it is swept) use the same seeds (common random numbers), so what differs between
    /// them is what their overrides change, not the luck of the draw.
    public func seed(point: Int, replication: Int) -> UInt64 {
        Replications.seed(base: points[point].model.run.seed, point: 0, replication: replication)
    }
}

/// The shape of a study's tables: which columns tell its points apart and what each point's
/// values are, and the confidence level. A merge reads it back from `study.json`.
public struct StudyLayout: Sendable, Equatable {
    /// The command.
    public var kind: StudyPlan.Kind
    /// The columns that tell the points apart (`StudyPlan.parameters`).
    public var parameters: [String]
    /// Each point's values of them.
    public var pointValues: [[String]]
    /// The confidence level.
    public var level: Double

    /// Creates a layout.
    public init(kind: StudyPlan.Kind, parameters: [String], pointValues: [[String]], level: Double) {
        self.kind = kind
        self.parameters = parameters
        self.pointValues = pointValues
        self.level = level
    }
}

/// One slice of a study for one process of several (`--shard K/N`): the (point, replication)
/// pairs whose position `point × R + replication` is K modulo N.
public struct StudyShard: Sendable, Equatable {
    /// K, from 0.
    public var index: Int
    /// N.
    public var count: Int

    /// Creates a shard; `0 ≤ index < count`.
    public init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "a shard is K/N with 0 ≤ K < N")
        self.index = index
        self.count = count
    }

    /// Whether the shard holds a replication of a point.
    public func holds(point: Int, replication: Int, replications: Int) -> Bool {
        (point * replications + replication) % count == index
    }
}
