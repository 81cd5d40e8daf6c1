/// Request counts and sums of one component over a stretch of time.
struct Counters {
    /// Requests that arrived.
    var offered: Int64 = 0
    /// Requests refused because the queue was full.
    var refused: Int64 = 0
    /// Requests that got a thread.
    var started: Int64 = 0
    /// Started requests that had to wait for their thread.
    var waited: Int64 = 0
    /// Requests that completed.
    var completed: Int64 = 0
    /// Sum of waits of started requests, in nanoseconds.
    var waitSum: Double = 0
    /// Sum of latencies (arrival to completion) of completed requests, in nanoseconds.
    var latencySum: Double = 0

    mutating func add(_ other: Counters) {
        offered += other.offered
        refused += other.refused
        started += other.started
        waited += other.waited
        completed += other.completed
        waitSum += other.waitSum
        latencySum += other.latencySum
    }
}

/// Time integrals of a level (busy threads, queue length), for time-weighted averages.
struct LevelAreas {
    /// Busy threads × nanoseconds.
    var busy: Double = 0
    /// Waiting requests × nanoseconds.
    var queue: Double = 0

    mutating func add(_ other: LevelAreas) {
        busy += other.busy
        queue += other.queue
    }
}
