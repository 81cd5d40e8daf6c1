/* bench/farm-floor.c — the least a faithful simulator of bench/farm10.json5 and farm10k.json5 costs.
 *
 * The farm: N instances behind a round-robin balancer; one Poisson source at 10 requests/s per
 * instance (10N/s in all, as the models' one `traffic` entry); each instance has 10 threads and an
 * accept queue of 50 (a request that finds both full is rejected); a request holds a thread for
 * 5 ms of exponential CPU, then calls the endpoint `db` (exponential, mean 20 ms) through the
 * instance's pool of 5 connections (FIFO waiters), and completes when the call returns: its
 * latency (completion - arrival) goes into the instance's histogram, the connection then the thread
 * are released (each handed to the first waiter, if any). Stop at the COMPLETIONS-th completion.
 *
 * Three events a request, as Faultline's engine has: the arrival (routed and started in the same
 * event), the end of the CPU, the end of the call. One binary heap of 32-byte events keyed by
 * (time, sequence), times in integer nanoseconds. One global random stream (xoshiro256**, seeded
 * by SplitMix64 from SEED), drawn in event order for the inter-arrival time, the CPU and the call;
 * Faultline keeps a stream per (component, purpose) — per instance for the CPU — but a stream is
 * 32 bytes of state that would sit in the instance's first cache line, so the choice costs no
 * extra line. Exponentials are -mean * log(u) with libm's log, rounded to nanoseconds.
 *
 * What it leaves out, on purpose: the pool's 1 s checkout timeout (no timer is armed: the pool is
 * ~4% busy, a request waits for a connection rarely and never near 1 s; the run prints how many
 * waited and the longest wait, so that a reader can see the timeout would not have fired),
 * intervals and series rows, event logging, fingerprints, output files.
 *
 * The per-instance state is one 64-byte-aligned struct: one line of levels, counters and
 * time integrals, then a histogram of 64 log buckets (4 a power of two, 2^16 ns to 2^32 ns, the
 * ends clamped) in four more lines. The queues' storage (50 arrival times for the threads, 10 for
 * the pool's waiters) lives in two separate arrays, touched only when a request has to wait, which
 * at this load is almost never. So a request touches the instance's first line and one histogram
 * line, and the event heap: what the memory hierarchy makes of that at N = 10 and N = 10,000 is the
 * floor of the cost per event an engine can reach on this machine.
 *
 * Build: cc -std=c11 -O2 -o farm-floor bench/farm-floor.c -lm
 * Usage: farm-floor N [COMPLETIONS] [SEED] [RATE] [IDLE]
 *   defaults: COMPLETIONS 1000000, SEED 12345, RATE 10 requests/s per instance, IDLE 0.
 *   A higher RATE exercises the queues, the pool's waiters and the rejections, which the farm's load
 *   almost never reaches. IDLE parks that many events at the end of time in the heap (never popped):
 *   `farm-floor 10 1000000 12345 10 2500` has farm10's 10 instances with farm10k's heap depth
 *   (~2,500 pending events), which separates the cost of a deeper heap from that of the instances'
 *   memory. bench/run.sh uses neither.
 * Prints one line of key=value results; wall_loop and ns_per_event time the event loop alone
 * (the assembly and the final report are timed apart, as wall_setup and wall_report).
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { THREADS = 10, QUEUE = 50, POOL = 5, WAITERS = THREADS, BUCKETS = 64 };
static const double CPU_MEAN_NS = 5e6;          /* 5 ms */
static const double CALL_MEAN_NS = 20e6;        /* 20 ms */

/* ---------------- random numbers: xoshiro256** seeded by SplitMix64 ---------------- */
static uint64_t rs[4];
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline uint64_t next_u64(void) {
    const uint64_t result = rotl(rs[1] * 5, 7) * 9;
    const uint64_t t = rs[1] << 17;
    rs[2] ^= rs[0]; rs[3] ^= rs[1]; rs[1] ^= rs[2]; rs[0] ^= rs[3];
    rs[2] ^= t; rs[3] = rotl(rs[3], 45);
    return result;
}
/* exponential with the given mean, in whole nanoseconds (u uniform in (0, 1]) */
static inline int64_t expo_ns(double mean_ns) {
    double u = ((next_u64() >> 11) + 1) * 0x1.0p-53;
    return (int64_t)(-mean_ns * log(u) + 0.5);
}

/* ---------------- the event list: a binary heap keyed by (time, sequence) ---------------- */
enum { ARRIVAL = 0, CPU_END = 1, CALL_END = 2 };
typedef struct {
    int64_t t;        /* when, ns */
    uint64_t seq;     /* order of scheduling: ties in time go first-scheduled first */
    int64_t arrived;  /* the request's arrival time, ns */
    uint32_t inst;    /* the instance */
    uint32_t kind;    /* ARRIVAL, CPU_END or CALL_END */
} Event;

static Event *heap;
static size_t hn, hcap;
static uint64_t hseq;

static inline int before(const Event *x, const Event *y) {
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}
static inline void push(int64_t t, uint32_t kind, uint32_t inst, int64_t arrived) {
    if (hn == hcap) {
        hcap = hcap ? 2 * hcap : 4096;
        heap = realloc(heap, hcap * sizeof(Event));
        if (!heap) { fprintf(stderr, "farm-floor: out of memory\n"); exit(1); }
    }
    Event e = { t, hseq++, arrived, inst, kind };
    size_t i = hn++;
    while (i > 0) {                                   /* sift the hole up */
        size_t p = (i - 1) >> 1;
        if (!before(&e, &heap[p])) break;
        heap[i] = heap[p]; i = p;
    }
    heap[i] = e;
}
static inline Event pop(void) {
    Event top = heap[0], last = heap[--hn];
    size_t i = 0, n = hn;
    for (;;) {                                        /* sift the hole down */
        size_t l = 2 * i + 1;
        if (l >= n) break;
        size_t m = (l + 1 < n && before(&heap[l + 1], &heap[l])) ? l + 1 : l;
        if (!before(&heap[m], &last)) break;
        heap[i] = heap[m]; i = m;
    }
    if (n) heap[i] = last;
    return top;
}

/* ---------------- one instance ---------------- */
typedef struct {
    /* line 0: what every event of a request reads and writes */
    _Alignas(64) int64_t last_change; /* time of the last change of a level below, for the integrals */
    int64_t thread_busy_ns;   /* integral of busy threads over time (thread-ns) */
    int64_t pool_busy_ns;     /* integral of connections in use over time (connection-ns) */
    int64_t latency_sum_ns;   /* of completed requests */
    uint32_t offered, completed, rejected;
    uint8_t threads_busy, queued, pool_busy, pool_waiting;
    uint8_t queue_head, waiter_head;
    /* lines 1-4: the latency histogram */
    _Alignas(64) uint32_t hist[BUCKETS];
} Instance;

_Static_assert(sizeof(Instance) == 5 * 64, "an instance is five cache lines");

static Instance *inst;
static int64_t (*queue_store)[QUEUE];     /* arrival times waiting for a thread, a ring per instance */
static int64_t (*waiter_store)[WAITERS];  /* arrival times waiting for a connection, a ring per instance */
static uint64_t queue_waits, pool_waits;
static int64_t longest_pool_wait_ns;
static int64_t *pool_wait_since;          /* per waiter slot: when it started waiting (only for the report) */

static inline void settle(Instance *s, int64_t now) {
    int64_t dt = now - s->last_change;
    s->thread_busy_ns += dt * s->threads_busy;
    s->pool_busy_ns += dt * s->pool_busy;
    s->last_change = now;
}
static inline unsigned bucket(int64_t ns) {
    if (ns < ((int64_t)1 << 16)) return 0;
    unsigned e = 63 - (unsigned)__builtin_clzll((uint64_t)ns);      /* 16 ... 62 */
    unsigned b = (e - 16) * 4 + (unsigned)((uint64_t)ns >> (e - 2) & 3);
    return b < BUCKETS ? b : BUCKETS - 1;
}
static double now_s(clockid_t clock) {
    struct timespec ts; clock_gettime(clock, &ts); return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: farm-floor N [COMPLETIONS] [SEED] [RATE] [IDLE]\n");
        return 64;
    }
    long n_inst = atol(argv[1]);
    long target = argc > 2 ? atol(argv[2]) : 1000000;
    uint64_t seed = argc > 3 ? strtoull(argv[3], 0, 10) : 12345;
    double rate = argc > 4 ? atof(argv[4]) : 10.0;
    long idle = argc > 5 ? atol(argv[5]) : 0;
    if (n_inst < 1 || n_inst > 100000000 || target < 1 || !(rate > 0) || idle < 0) {
        fprintf(stderr, "farm-floor: N must be 1..1e8, COMPLETIONS at least 1, RATE above 0, IDLE at least 0\n");
        return 64;
    }
    const uint32_t N = (uint32_t)n_inst;

    /* ---- assembly: every instance's state allocated and touched before the clock starts ---- */
    double setup0 = now_s(CLOCK_MONOTONIC);
    for (int i = 0; i < 4; i++) rs[i] = splitmix64(&seed);
    inst = aligned_alloc(64, (size_t)N * sizeof(Instance));
    queue_store = malloc((size_t)N * sizeof *queue_store);
    waiter_store = malloc((size_t)N * sizeof *waiter_store);
    pool_wait_since = malloc((size_t)N * WAITERS * sizeof(int64_t));
    if (!inst || !queue_store || !waiter_store || !pool_wait_since) {
        fprintf(stderr, "farm-floor: out of memory\n"); return 1;
    }
    memset(inst, 0, (size_t)N * sizeof(Instance));
    memset(queue_store, 0, (size_t)N * sizeof *queue_store);
    memset(waiter_store, 0, (size_t)N * sizeof *waiter_store);
    memset(pool_wait_since, 0, (size_t)N * WAITERS * sizeof(int64_t));
    const double arrival_mean_ns = 1e9 / (rate * N);
    for (long k = 0; k < idle; k++) push(INT64_MAX - idle + k, CPU_END, 0, 0);   /* never reached */
    push(expo_ns(arrival_mean_ns), ARRIVAL, 0, 0);
    double setup1 = now_s(CLOCK_MONOTONIC);

    /* ---- the event loop ---- */
    double cpu0 = now_s(CLOCK_PROCESS_CPUTIME_ID), loop0 = now_s(CLOCK_MONOTONIC);
    uint64_t events = 0, arrivals = 0, completions = 0;
    uint32_t next_instance = 0;
    int64_t now = 0;
    while (completions < (uint64_t)target) {
        Event e = pop();
        now = e.t;
        events++;
        if (e.kind == ARRIVAL) {
            arrivals++;
            push(now + expo_ns(arrival_mean_ns), ARRIVAL, 0, 0);
            uint32_t i = next_instance;
            next_instance = (i + 1 == N) ? 0 : i + 1;           /* round robin */
            Instance *s = &inst[i];
            s->offered++;
            if (s->threads_busy < THREADS) {
                settle(s, now);
                s->threads_busy++;
                push(now + expo_ns(CPU_MEAN_NS), CPU_END, i, now);
            } else if (s->queued < QUEUE) {
                queue_store[i][(s->queue_head + s->queued) % QUEUE] = now;
                s->queued++;
                queue_waits++;
            } else {
                s->rejected++;
            }
        } else if (e.kind == CPU_END) {
            Instance *s = &inst[e.inst];
            if (s->pool_busy < POOL) {
                settle(s, now);
                s->pool_busy++;
                push(now + expo_ns(CALL_MEAN_NS), CALL_END, e.inst, e.arrived);
            } else {                                             /* wait for a connection (FIFO) */
                unsigned slot = (s->waiter_head + s->pool_waiting) % WAITERS;
                waiter_store[e.inst][slot] = e.arrived;
                pool_wait_since[(size_t)e.inst * WAITERS + slot] = now;
                s->pool_waiting++;
                pool_waits++;
            }
        } else {                                                 /* CALL_END: the request completes */
            Instance *s = &inst[e.inst];
            int64_t latency = now - e.arrived;
            completions++;
            s->completed++;
            s->latency_sum_ns += latency;
            s->hist[bucket(latency)]++;
            settle(s, now);
            if (s->pool_waiting) {                               /* the connection goes to the first waiter */
                unsigned slot = s->waiter_head;
                int64_t waited = now - pool_wait_since[(size_t)e.inst * WAITERS + slot];
                if (waited > longest_pool_wait_ns) longest_pool_wait_ns = waited;
                int64_t a = waiter_store[e.inst][slot];
                s->waiter_head = (uint8_t)((slot + 1) % WAITERS);
                s->pool_waiting--;
                push(now + expo_ns(CALL_MEAN_NS), CALL_END, e.inst, a);
            } else {
                s->pool_busy--;
            }
            if (s->queued) {                                     /* the thread goes to the first queued request */
                int64_t a = queue_store[e.inst][s->queue_head];
                s->queue_head = (uint8_t)((s->queue_head + 1) % QUEUE);
                s->queued--;
                push(now + expo_ns(CPU_MEAN_NS), CPU_END, e.inst, a);
            } else {
                s->threads_busy--;
            }
        }
    }
    double loop1 = now_s(CLOCK_MONOTONIC), cpu1 = now_s(CLOCK_PROCESS_CPUTIME_ID);

    /* ---- the report: every instance's counters and histogram are read, so none is dead code ---- */
    uint64_t offered = 0, completed = 0, rejected = 0;
    int64_t latency_sum = 0;
    double thread_busy = 0, pool_busy = 0;
    uint64_t hist[BUCKETS] = {0};
    for (uint32_t i = 0; i < N; i++) {
        Instance *s = &inst[i];
        settle(s, now);
        offered += s->offered; completed += s->completed; rejected += s->rejected;
        latency_sum += s->latency_sum_ns;
        thread_busy += (double)s->thread_busy_ns;
        pool_busy += (double)s->pool_busy_ns;
        for (int b = 0; b < BUCKETS; b++) hist[b] += s->hist[b];
    }
    /* the median and the 99th percentile, as the lower bound of their histogram bucket */
    double pct[2] = {0.5, 0.99}, at[2] = {0, 0};
    for (int p = 0; p < 2; p++) {
        uint64_t need = (uint64_t)ceil(pct[p] * (double)completed), seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += hist[b];
            if (seen >= need) { at[p] = (b == 0) ? 0 : ldexp(1.0 + (b % 4) / 4.0, 16 + b / 4) * 1e-9; break; }
        }
    }
    double report1 = now_s(CLOCK_MONOTONIC);
    double sim_s = now * 1e-9, loop = loop1 - loop0;
    printf("model=farm-floor instances=%u completed=%llu offered=%llu arrivals=%llu rejected=%llu events=%llu "
           "events_per_request=%.4f sim_time=%.3f mean_latency=%.6f p50_bucket=%.6f p99_bucket=%.6f "
           "thread_utilisation=%.5f pool_utilisation=%.5f queue_waits=%llu pool_waits=%llu "
           "longest_pool_wait=%.6f heap_capacity=%zu wall_setup=%.4f wall_loop=%.4f cpu_loop=%.4f "
           "wall_report=%.4f ns_per_event=%.2f\n",
           N, (unsigned long long)completed, (unsigned long long)offered, (unsigned long long)arrivals,
           (unsigned long long)rejected, (unsigned long long)events, (double)events / (double)completed, sim_s,
           latency_sum * 1e-9 / (double)completed, at[0], at[1],
           thread_busy / ((double)now * N * THREADS), pool_busy / ((double)now * N * POOL),
           (unsigned long long)queue_waits, (unsigned long long)pool_waits, longest_pool_wait_ns * 1e-9,
           hcap, setup1 - setup0, loop, cpu1 - cpu0, report1 - loop1, loop * 1e9 / (double)events);
    return 0;
}
