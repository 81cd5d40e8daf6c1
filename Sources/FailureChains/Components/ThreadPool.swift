import SimulationKernel

/// A pool of worker threads with its accept queue, as one instance has for an entry point.
///
/// A request takes a free thread and holds it for its whole life; when every thread is busy it
/// waits in the accept queue, first in first out, up to the queue's capacity. The pool also keeps
/// what the stability patterns at its door need (load shedding by queue length and by age), when
/// every thread became busy (saturation, recorded as `threadsExhausted` once it lasted), and the
/// time integrals of its busy threads and its queue.
///
/// The pool knows no clock and no event queue: each method that depends on time takes `now`, in
/// nanoseconds, and returns what happened, so the simulation schedules and records what follows.
public struct ThreadPool {
    // The fields every arrival, freed thread and time integral reads or changes come first, in
    // the first 64 bytes (a table of pools starts on a cache line and the stride is 128): with
    // thousands of instances each pool is out of the caches between two of its requests.

    /// Worker threads.
    public let threads: Int32
    /// Threads held by requests.
    public private(set) var busy: Int32 = 0
    /// How many wait: `waiting.count`, kept beside the pool's other levels so that the hot path
    /// (the time integrals, a freed thread with nobody waiting) does not reach the queue's storage,
    /// a cache line of its own, on every change. At most the live-request limit, far below 2³¹.
    private var queuedCount: Int32 = 0
    /// Whether `busyAreaSinceDecision` is kept: only an autoscaler reads it.
    public let tracksBusyAreaSinceDecision: Bool
    /// Whether the queue filled and has not yet drained back to half its capacity.
    public private(set) var isQueueFull = false
    /// Whether the saturation has been recorded (`threadsExhausted`): after a whole series
    /// interval, or when the queue fills.
    public private(set) var isSaturationRecorded = false
    /// Since when every thread has been busy, in nanoseconds; −1 while a thread is free.
    public private(set) var saturatedSince: Int64 = -1
    /// A request that waited longer than this, in nanoseconds, is shed when a thread would take
    /// it; `Int64.max` for no such limit.
    public let shedQueueAge: Int64
    /// Busy threads × nanoseconds, for the current series interval and since the warm-up.
    var busyArea = LevelArea()
    /// Waiting requests × nanoseconds, for the current series interval and since the warm-up.
    var queueArea = LevelArea()

    // Read when no thread is free, or at an autoscaler's decision.

    /// Busy threads × nanoseconds since the autoscaler's last decision, warm-up included; 0 when
    /// not tracked.
    public private(set) var busyAreaSinceDecision: Double = 0
    /// Waiting places in the accept queue; `Int.max` for an unbounded queue.
    public let queueCapacity: Int
    /// A request that finds this many or more waiting, and no free thread, is shed on arrival;
    /// `Int.max` for no such limit.
    public let shedQueueLength: Int
    /// The requests waiting for a thread, oldest first.
    public let waiting = RingBuffer<RequestID>(capacity: 16)
    /// Requests refused because the queue was full, since it last filled.
    public private(set) var refusedWhileFull: Int64 = 0
    /// The most requests that waited since the saturation was recorded.
    public private(set) var mostWaitingWhileSaturated = 0
    /// Pads the stride to 128 bytes, two whole cache lines (`LayoutTests` checks it).
    private let padding: (Int64, Int64) = (0, 0)

    /// Requests waiting for a thread.
    @inline(__always)
    public var queued: Int { Int(queuedCount) }

    /// What happened when a request joined the queue.
    public struct Queued: Equatable {
        /// Whether the saturation is now due to be recorded (`threadsExhausted`): every thread has
        /// been busy for a whole series interval, or the queue just filled. Call
        /// `recordSaturation()` when it is.
        public var isSaturationDue: Bool
        /// Whether the queue just became full (`queueFilled`).
        public var didFill: Bool
    }

    /// A queue that drained back to half its capacity after it filled.
    public struct Recovery: Equatable {
        /// Requests waiting now.
        public var waiting: Int
        /// Requests refused while it was full.
        public var refusedWhileFull: Int64
    }

    /// A saturation that ended, as it was recorded.
    public struct SaturationEnd: Equatable {
        /// Since when every thread had been busy, in nanoseconds.
        public var since: Int64
        /// The most requests that waited while it was recorded.
        public var mostWaiting: Int
    }

    /// Creates an idle pool.
    ///
    /// - Parameters:
    ///   - threads: Worker threads; positive.
    ///   - queueCapacity: Waiting places; `Int.max` for an unbounded queue.
    ///   - shedQueueLength: The queue length at which an arrival is shed; `Int.max` for never.
    ///   - shedQueueAge: The longest wait before a request is shed, in nanoseconds; `Int64.max` for never.
    ///   - tracksBusyAreaSinceDecision: Whether to keep the busy area since the last decision, for
    ///     an autoscaler (a pool of a service without one leaves it at 0).
    public init(threads: Int32, queueCapacity: Int, shedQueueLength: Int = Int.max, shedQueueAge: Int64 = Int64.max,
                tracksBusyAreaSinceDecision: Bool = true) {
        self.threads = threads
        self.tracksBusyAreaSinceDecision = tracksBusyAreaSinceDecision
        self.queueCapacity = queueCapacity
        self.shedQueueLength = shedQueueLength
        self.shedQueueAge = shedQueueAge
    }

    // MARK: Arrivals

    /// Whether a thread is free.
    @inline(__always)
    public var hasFreeThread: Bool { busy < threads }

    /// Whether the queue has room for one more request.
    @inline(__always)
    public var hasQueueRoom: Bool { queued < queueCapacity }

    /// Whether the pool sheds arrivals by queue length at all.
    @inline(__always)
    public var shedsByLength: Bool { shedQueueLength != Int.max }

    /// Whether an arrival is shed now: no thread is free and the queue is at its shedding length.
    @inline(__always)
    public var shedsArrival: Bool { !hasFreeThread && queued >= shedQueueLength }

    /// Gives a free thread to a request; when that was the last free one, the saturation starts now.
    ///
    /// - Parameter now: The time, in nanoseconds.
    @inline(__always)
    public mutating func takeThread(at now: Int64) {
        busy &+= 1
        if busy == threads { saturatedSince = now }
    }

    /// Puts a request at the back of the queue; there must be room.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - now: The time, in nanoseconds.
    ///   - noticeAfter: How long every thread must have been busy before the saturation is due to
    ///     be recorded, in nanoseconds (a series interval).
    /// - Returns: Whether the saturation is due to be recorded, and whether the queue just filled.
    /// - Complexity: O(1) amortized.
    @inline(__always)
    public mutating func enqueue(_ request: RequestID, at now: Int64, noticeAfter: Int64) -> Queued {
        waiting.append(request)
        queuedCount &+= 1
        let count = queued
        var queued = Queued(isSaturationDue: false, didFill: false)
        if isSaturationRecorded {
            if count > mostWaitingWhileSaturated { mostWaitingWhileSaturated = count }
        } else if now - saturatedSince >= noticeAfter || count == queueCapacity {
            queued.isSaturationDue = true
        }
        if count == queueCapacity, !isQueueFull {
            isQueueFull = true
            queued.didFill = true
        }
        return queued
    }

    /// Counts a request refused because the queue was full.
    @inline(__always)
    public mutating func refuseWhileFull() {
        refusedWhileFull &+= 1
    }

    // MARK: Saturation

    /// Marks the saturation as recorded (`threadsExhausted`), from the queue's length now.
    public mutating func recordSaturation() {
        isSaturationRecorded = true
        mostWaitingWhileSaturated = queued
    }

    /// Whether the saturation has lasted a whole series interval without being recorded.
    ///
    /// - Parameters:
    ///   - now: The time, in nanoseconds.
    ///   - interval: The series interval, in nanoseconds.
    public func isSaturationOverdue(at now: Int64, interval: Int64) -> Bool {
        saturatedSince >= 0 && !isSaturationRecorded && now - saturatedSince >= interval
    }

    // MARK: Freed threads

    /// Whether the oldest waiting request, arrived at `arrival`, has waited longer than shedding by
    /// age allows.
    ///
    /// - Parameters:
    ///   - arrival: When the oldest waiting request arrived, in nanoseconds.
    ///   - now: The time, in nanoseconds.
    @inline(__always)
    public func hasOverstayed(arrival: Int64, at now: Int64) -> Bool {
        now - arrival > shedQueueAge
    }

    /// Whether the pool sheds waiting requests by age at all.
    @inline(__always)
    public var shedsByAge: Bool { shedQueueAge != Int64.max }

    /// Takes the oldest waiting request out of the queue, to be shed, or to get the freed thread.
    ///
    /// - Returns: The request, or nil when none waits.
    /// - Complexity: O(1).
    @inline(__always)
    public mutating func popOldest() -> RequestID? {
        guard queuedCount > 0 else { return nil }
        queuedCount &-= 1
        return waiting.popFirst()
    }

    /// After a waiter took a freed thread: whether the queue, full before, is back to half its
    /// capacity, which counts as recovered (hysteresis).
    ///
    /// - Returns: The queue now and what it refused while full, or nil when it did not recover now.
    @inline(__always)
    public mutating func recoverQueue() -> Recovery? {
        guard isQueueFull, queued * 2 <= queueCapacity else { return nil }
        isQueueFull = false
        let recovery = Recovery(waiting: queued, refusedWhileFull: refusedWhileFull)
        refusedWhileFull = 0
        return recovery
    }

    /// A freed thread rests, as nobody waits for it; the saturation, if there was one, ends.
    ///
    /// - Returns: The saturation that ended, when it had been recorded; nil otherwise.
    @inline(__always)
    public mutating func restThread() -> SaturationEnd? {
        busy &-= 1
        guard saturatedSince >= 0 else { return nil }
        let since = saturatedSince
        saturatedSince = -1
        guard isSaturationRecorded else { return nil }
        isSaturationRecorded = false
        return SaturationEnd(since: since, mostWaiting: mostWaitingWhileSaturated)
    }

    /// Empties the pool when its instance stops: no thread busy, no request waiting, no saturation.
    public mutating func reset() {
        while waiting.popFirst() != nil {}
        queuedCount = 0
        busy = 0
        isQueueFull = false
        refusedWhileFull = 0
        saturatedSince = -1
        isSaturationRecorded = false
    }

    // MARK: Time integrals

    /// Adds the levels held over the last `span` nanoseconds to the integrals.
    ///
    /// - Parameters:
    ///   - span: Nanoseconds since the last change of a level.
    ///   - pastWarmup: Whether they count in the whole-run totals.
    @inline(__always)
    public mutating func accumulate(over span: Double, pastWarmup: Bool) {
        let busyThreads = Double(busy)
        let waitingRequests = Double(queued)
        if tracksBusyAreaSinceDecision { busyAreaSinceDecision += busyThreads * span }
        busyArea.add(busyThreads * span, pastWarmup: pastWarmup)
        queueArea.add(waitingRequests * span, pastWarmup: pastWarmup)
    }

    /// Starts a new series interval's integrals.
    public mutating func startInterval() {
        busyArea.interval = 0
        queueArea.interval = 0
    }

    /// The busy-thread area since the autoscaler's last decision, which starts anew.
    public mutating func takeBusyAreaSinceDecision() -> Double {
        let area = busyAreaSinceDecision
        busyAreaSinceDecision = 0
        return area
    }

    /// Busy threads × nanoseconds in the current series interval.
    public var busyThreadTimeThisInterval: Double { busyArea.interval }
    /// Busy threads × nanoseconds since the warm-up.
    public var busyThreadTime: Double { busyArea.total }
    /// Waiting requests × nanoseconds in the current series interval.
    public var queuedTimeThisInterval: Double { queueArea.interval }
    /// Waiting requests × nanoseconds since the warm-up.
    public var queuedTime: Double { queueArea.total }
}
