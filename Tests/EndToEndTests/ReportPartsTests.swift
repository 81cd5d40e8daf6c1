import Foundation
import Reporting
import Testing

/// The report's panels for this session's parts: message queues, locks, caches, disks, admission
/// control and client retries, each on a gallery run that has them, and absent from one that has not.
extension ReportTests {
    /// The report of a gallery run (a model, or a model's variant), made once per run.
    static let partReports = BrowserReportTests.Cache()

    /// The HTML of a component's section of a page, from its opening tag to its end.
    static func section(_ component: String, in page: String) -> String? {
        page.components(separatedBy: "<section class=\"component\" data-component=\"\(component)\"").dropFirst().first?
            .components(separatedBy: "</section>").first
    }

    /// The head (title and legend) and drawing of a panel of a section, up to the next panel.
    static func panel(_ kind: PanelKind, in section: String) -> String? {
        section.components(separatedBy: "<div class=\"panel\" data-panel=\"\(kind.rawValue)\">").dropFirst().first?
            .components(separatedBy: "<div class=\"panel\"").first
    }

    static func partPage(_ run: String) throws -> String {
        try String(contentsOfFile: try partReports.report(run), encoding: .utf8)
    }

    @Test func `a run with a message queue shows its depth against its capacity, its oldest message and its rates`() throws {
        let page = try Self.partPage("decoupling-middleware-queue")
        let queue = try #require(Self.section("authorisations", in: page), "no section for the queue")
        #expect(queue.hasPrefix(" data-kind=\"messageQueue\">"))
        #expect(queue.contains("<span class=\"kind\">message queue"), "the heading names the kind in words")
        let depth = try #require(Self.panel(.messageDepth, in: queue))
        #expect(depth.contains(">waiting</span>") && depth.contains(">capacity 100000</span>"))
        #expect(depth.contains("class=\"line"))
        let age = try #require(Self.panel(.messageAge, in: queue))
        #expect(age.contains(">oldest waiting</span>") && age.contains(">time to live 3600s</span>"))
        let rates = try #require(Self.panel(.messageRates, in: queue))
        for name in ["enqueued", "delivered", "consumed"] { #expect(rates.contains(">\(name)</span>"), "no \(name)") }
        // Nothing expired in this run: a kind of loss that never happened has no layer.
        #expect(!rates.contains("expired"))
        // The producer's threads put messages in the queue; a queue has no pool to wait for.
        let shop = try #require(Self.section("shop", in: page))
        let threads = try #require(Self.panel(.threads, in: shop))
        #expect(threads.contains(">putting a message in authorisations</span>"))
        #expect(!threads.contains("check out a connection"))
    }

    @Test func `a run with a lock shows the lock held, the requests waiting, and the threads at it`() throws {
        let page = try Self.partPage("scaling-effects")
        let lock = try #require(Self.section("lockmgr", in: page), "no section for the lock")
        #expect(lock.hasPrefix(" data-kind=\"lock\">"))
        let held = try #require(Self.panel(.lockHeld, in: lock))
        #expect(held.contains(">lock held (share of the time)</span>") && held.contains("class=\"area\""))
        #expect(Self.panel(.lockQueue, in: lock)?.contains(">waiting</span>") == true)
        let rates = try #require(Self.panel(.lockRates, in: lock))
        #expect(rates.contains(">acquired</span>") && rates.contains(">waited</span>"))
        let app = try #require(Self.section("app", in: page))
        let threads = try #require(Self.panel(.threads, in: app))
        #expect(threads.contains(">waiting for lock lockmgr</span>") && threads.contains(">holding lock lockmgr</span>"))
        #expect(threads.contains(">on CPU</span>") && !threads.contains(">busy</span>"))
    }

    @Test func `a service with a cache shows its hit ratio and its fills per dependency`() throws {
        let page = try Self.partPage("dogpile")
        let sections = page.components(separatedBy: "<section class=\"component\"").dropFirst()
        let cache = try #require(sections.first { $0.contains("data-panel=\"cache\"") }, "no cache panel")
        #expect(cache.contains(">hits in front of "))
        #expect(try #require(Self.panel(.cacheFills, in: cache)).contains(">fills from "))
    }

    @Test func `a service with a disk shows the share used against the level where writes fail`() throws {
        let page = try Self.partPage("steady-state")
        let disk = try #require(page.components(separatedBy: "<div class=\"panel\" data-panel=\"disk\">").dropFirst().first, "no disk panel")
        #expect(disk.contains(">used</span>") && disk.contains(">writes fail at "))
    }

    @Test func `admission control's refusals are drawn apart in the errors, and client retries beside the requests`() throws {
        let page = try Self.partPage("ddos-rate-limit")
        let shop = try #require(Self.section("shop", in: page))
        let errors = try #require(Self.panel(.errors, in: shop))
        #expect(errors.contains(">refused: rate limited</span>"))
        // The token bucket refused them all: nothing is left of `refused` to draw beside them.
        #expect(!errors.contains(">refused</span>"))
        let users = try #require(Self.section("users", in: page))
        let retries = try #require(Self.panel(.retries, in: users))
        #expect(retries.contains(">retries</span>") && retries.contains(">offered (first tries)</span>"))
    }

    @Test func `a run without queues, locks, caches, disks or retries draws none of their panels`() throws {
        let page = try Self.page(try Self.airlineFolder())
        for kind in [PanelKind.messageDepth, .messageAge, .messageRates, .lockHeld, .lockQueue, .lockRates, .cache, .cacheFills, .disk, .retries] {
            #expect(!page.contains("data-panel=\"\(kind.rawValue)\""), "the airline has a \(kind.rawValue) panel")
        }
        #expect(!page.contains("data-kind=\"messageQueue\"") && !page.contains("data-kind=\"lock\""))
        #expect(!page.contains("rate limited"))
    }
}
