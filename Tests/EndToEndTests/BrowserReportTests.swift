import Foundation
import Reporting
import Testing

/// A headless Chromium, run as a user would open a report: from disk, logging to standard error.
enum Browser {
    /// The browser, if one is installed: Debian's `chromium-headless-shell` or `chromium`.
    static let path: String? = {
        let names = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "chrome-headless-shell"]
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/lib/chromium"]
        for name in names {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }()

    /// Whether the tests must run: on CI (`CI` set), where `.ci/run` installs the browser, a
    /// missing browser fails them instead of skipping them.
    static let isRequired = ProcessInfo.processInfo.environment["CI"] != nil

    static let skipMessage: Comment = "no headless Chromium found (install Debian's chromium-headless-shell: apt-get install chromium-headless-shell); the browser tests are skipped"

    /// What loading a page showed.
    struct Load {
        /// The DOM after the page's script ran.
        var dom: String
        /// Console messages (errors, uncaught exceptions), one a line.
        var console: [String]
        /// Every URL the browser fetched.
        var loaded: [String]
        /// The screenshot's PNG bytes.
        var screenshot: Data
        /// The size of an empty page's screenshot of the same size.
        var blankSize: Int
    }

    static func run(_ arguments: [String]) throws -> CommandResult {
        guard let path else { throw TestFailure(message: "no headless Chromium; .ci/run installs chromium-headless-shell") }
        let profile = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: profile) }
        return try Faultline.run(["--no-sandbox", "--headless", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile,
                                  "--no-first-run", "--enable-logging=stderr", "--v=1"] + arguments,
                                 program: URL(fileURLWithPath: path))
    }

    /// Loads a page twice: once for its DOM and log, once for a screenshot of `height` pixels.
    static func load(_ page: String, height: Int) throws -> Load {
        let url = URL(fileURLWithPath: page).absoluteString
        let dump = try run(["--dump-dom", url])
        let shot = TestFiles.temporaryDirectory() + "/shot.png"
        _ = try run(["--window-size=1280,\(height)", "--screenshot=" + shot, url])
        let lines = dump.standardError.split(separator: "\n").map(String.init)
        let console = lines.filter { $0.contains(":CONSOLE") }
        var loaded: [String] = []
        for line in lines {
            for marker in ["FileURLLoader::Start: ", "NotifyBeforeURLRequest: "] {
                if let range = line.range(of: marker) { loaded.append(String(line[range.upperBound...])) }
            }
        }
        return Load(dom: dump.standardOutput, console: console, loaded: loaded,
                    screenshot: FileManager.default.contents(atPath: shot) ?? Data(), blankSize: try blankScreenshotSize(height: height))
    }

    /// The size of the screenshot of an empty page of a height, for telling a blank screenshot
    /// from a drawn one.
    static func blankScreenshotSize(height: Int) throws -> Int {
        let page = TestFiles.temporaryFile(named: "blank.html", "<!DOCTYPE html><html><body></body></html>")
        let shot = TestFiles.temporaryDirectory() + "/blank.png"
        _ = try run(["--window-size=1280,\(height)", "--screenshot=" + shot, URL(fileURLWithPath: page).absoluteString])
        return FileManager.default.contents(atPath: shot)?.count ?? 0
    }
}

/// Each report opened in a real browser: it loads nothing else, logs no error, its script runs,
/// its DOM holds the panels the model calls for, and its screenshot is not blank.
@Suite(.enabled(if: Browser.path != nil || Browser.isRequired, Browser.skipMessage))
struct BrowserReportTests {
    /// A gallery model whose report has a panel kind, and the component it is drawn for.
    static let showcase: [PanelKind: (model: String, component: String)] = [
        .success: ("small-farm", "shoppers"), .throughput: ("small-farm", "web"), .errors: ("airline-checkout-timeout", "kiosk"),
        .latency: ("small-farm", "web"), .threads: ("small-farm", "web"), .queue: ("small-farm", "web"),
        .instances: ("small-farm", "web"), .connections: ("airline-checkout-timeout", "cf"), .endpoint: ("airline-checkout-timeout", "oracle"),
        .heap: ("bots", "shop"), .sessions: ("bots", "shop"), .breaker: ("airline-breaker", "kiosk"),
        .retries: ("ddos-rate-limit", "users"), .cache: ("dogpile", "app"), .cacheFills: ("dogpile", "app"), .disk: ("steady-state", "shop"),
        .messageDepth: ("decoupling-middleware-queue", "authorisations"), .messageAge: ("decoupling-middleware-queue", "authorisations"),
        .messageRates: ("decoupling-middleware-queue", "authorisations"), .lockHeld: ("scaling-effects", "lockmgr"),
        .lockQueue: ("scaling-effects", "lockmgr"), .lockRates: ("scaling-effects", "lockmgr"),
    ]

    /// The report of a gallery model, made once per model.
    static let reports = Cache()

    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var made: [String: String] = [:]

        func report(_ model: String, arguments: [String] = []) throws -> String {
            lock.lock()
            defer { lock.unlock() }
            if let folder = made[model] { return folder + "/report.html" }
            let folder = TestFiles.temporaryDirectory() + "/" + model
            let run = try GalleryRun.named(model)
            let result = try Faultline.run(["run", "--report", run.path, "--out", folder] + (run.variant.map { ["--variant", $0] } ?? []) + arguments)
            guard result.status == 0 else { throw TestFailure(message: "run --report \(model) exited \(result.status): \(result.standardError)") }
            made[model] = folder
            return folder + "/report.html"
        }
    }

    /// The checks every page must pass.
    static func expectClean(_ load: Browser.Load, page: String) {
        #expect(load.console.isEmpty, "console: \(load.console.joined(separator: "\n"))")
        let url = URL(fileURLWithPath: page).absoluteString
        #expect(load.loaded.contains(url), "the browser's log does not show the page loading: \(load.loaded)")
        #expect(load.loaded.allSatisfy { $0 == url }, "loaded more than the page: \(load.loaded)")
        #expect(load.dom.contains("data-script=\"ready\""), "the page's script did not run to its end")
        #expect(load.screenshot.starts(with: [0x89, 0x50, 0x4E, 0x47]), "no PNG screenshot")
        // A drawn page compresses far worse than an empty one of the same size.
        #expect(load.blankSize > 0 && load.screenshot.count > 5 * load.blankSize,
                "the screenshot looks blank: \(load.screenshot.count) bytes, an empty page's \(load.blankSize)")
    }

    /// The SVG of a panel of a component in a DOM, from its opening tag to its end.
    static func panel(_ kind: PanelKind, of component: String, in dom: String) -> String? {
        guard let section = dom.components(separatedBy: "<section class=\"component\" data-component=\"\(component)\"").dropFirst().first?
                .components(separatedBy: "</section>").first else { return nil }
        return section.components(separatedBy: "<svg class=\"chart\" data-panel=\"\(kind.rawValue)\"").dropFirst().first?
            .components(separatedBy: "</svg>").first
    }

    @Test(arguments: PanelKind.allCases)
    func `each panel kind is drawn in the browser`(kind: PanelKind) throws {
        let (model, component) = try #require(Self.showcase[kind], "no model shows \(kind.rawValue) panels")
        let page = try Self.reports.report(model)
        let load = try Browser.load(page, height: 1600)
        Self.expectClean(load, page: page)
        let svg = try #require(Self.panel(kind, of: component, in: load.dom), "no \(kind.rawValue) panel for \(component)")
        #expect(svg.contains("class=\"line") || svg.contains("class=\"area\"") || svg.contains("class=\"band\""),
                "the \(kind.rawValue) panel of \(component) draws nothing")
    }

    @Test func `the airline's whole report opens clean, with the panels its model calls for`() throws {
        let page = try ReportTests.airlineFolder() + "/report.html"
        let started = Date()
        let load = try Browser.load(page, height: 4000)
        let seconds = Date().timeIntervalSince(started)
        Self.expectClean(load, page: page)
        // Loading twice (DOM and screenshot) with the browser's start-up each time.
        #expect(seconds < 20)
        let expected: [String: [PanelKind]] = [
            "kiosks": [.success], "callers": [.success],
            "kiosk": [.throughput, .errors, .latency, .threads, .queue, .instances],
            "ivr": [.throughput, .errors, .latency, .threads, .queue, .instances],
            "cf": [.throughput, .errors, .latency, .threads, .queue, .connections, .instances],
            "oracle": [.endpoint],
        ]
        for (component, kinds) in expected {
            for kind in kinds {
                #expect(Self.panel(kind, of: component, in: load.dom) != nil, "no \(kind.rawValue) panel for \(component)")
            }
        }
        for kind in [PanelKind.heap, .sessions, .breaker] { #expect(!load.dom.contains("data-panel=\"\(kind.rawValue)\""), "the airline has no \(kind.rawValue)") }
        #expect(load.dom.contains("data-section=\"glance\""))
        #expect(load.dom.contains("data-section=\"topology\""))
        #expect(load.dom.contains("data-node=\"cf\" data-kind=\"service\" data-state=\"2\""))
    }

    @Test func `hovering a marker shows its events with their causes, and a chart the time`() throws {
        let page = try ReportTests.airlineFolder() + "/report.html"
        let result = try Browser.run(["--window-size=1280,2000", "--dump-dom", URL(fileURLWithPath: page).absoluteString + "#hover-test"])
        #expect(result.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }.isEmpty, "\(result.standardError)")
        let dom = result.standardOutput
        // The first marker of the page is the kiosks' rush; the first chart's middle is 3:30 into 7 hours, 02:30 on the story's clock.
        let marker = try #require(dom.components(separatedBy: "data-hover-marker=\"").dropFirst().first?.components(separatedBy: "\"").first)
        #expect(marker.hasPrefix("02:25:00.000 kiosks rateChanged: 0.013333/s, ramping to 12/s by 3h35m"))
        let chart = try #require(dom.components(separatedBy: "data-hover-chart=\"").dropFirst().first?.components(separatedBy: "\"").first)
        #expect(chart.hasPrefix("02:29:") || chart.hasPrefix("02:30:"), "the chart's tooltip says \(chart)")
    }

    @Test func `a study's report opens clean`() throws {
        let out = TestFiles.temporaryDirectory() + "/sweep"
        let sweep = try Faultline.run(["sweep", TestFiles.inRepository("models/small-farm.json5"), "--set", "services.web.instances=2,4",
                                       "-r", "2", "--metric", "shoppers.successRatio@2m..3m:mean", "--out", out])
        #expect(sweep.status == 0)
        #expect(try Faultline.run(["report", out]).status == 0)
        let load = try Browser.load(out + "/report.html", height: 900)
        Self.expectClean(load, page: out + "/report.html")
        #expect(load.dom.contains("data-chart=\"sweep\""))
    }
}
