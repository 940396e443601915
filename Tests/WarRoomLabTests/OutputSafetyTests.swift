import Foundation
@testable import RunStore
import Testing
import WarRoomLab
import WarRoomTestSupport

/// What a command may replace: its own earlier output, never a file or folder of the user's.
@Suite("Outputs never replace the user's files")
struct OutputSafetyTests {
    @Test("warroom report refuses a folder holding other files, a file in its place, and a report path altered in the store")
    func reportDestinations() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runWarroom(["run", Repository.smokeScenario, "--out", "out", "--db", "runs.db", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.err)")

        // A folder of the user's where the report would go: refused, its file kept.
        let mine = folder.appendingPathComponent("mine/smoke-s7")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("precious\n".utf8).write(to: mine.appendingPathComponent("thesis.txt"))
        let intoMine = try runWarroom(["report", "1", "--db", "runs.db", "--out", "mine"], in: folder)
        #expect(intoMine.status == 1 && intoMine.err.contains("holds files this report does not write (thesis.txt): not replaced"), "\(intoMine.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: mine.path) == ["thesis.txt"])

        // A file where the report folder would go.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("f"), withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: folder.appendingPathComponent("f/smoke-s7"))
        let ontoFile = try runWarroom(["report", "1", "--db", "runs.db", "--out", "f"], in: folder)
        #expect(ontoFile.status == 1 && ontoFile.err.contains("is a file, not a report folder: not replaced"), "\(ontoFile.err)")
        #expect(try String(contentsOf: folder.appendingPathComponent("f/smoke-s7"), encoding: .utf8) == "x\n")

        // The run's own folder is replaced: the same report written again.
        let again = try runWarroom(["report", "1", "--db", "runs.db", "--quiet"], in: folder)
        #expect(again.status == 0, "\(again.err)")

        // A report path altered in the store does not take the report outside its own folder.
        do {
            let db = try Database(path: folder.appendingPathComponent("runs.db").path)
            try db.execute("UPDATE runs SET report_path = '\(folder.path)/elsewhere/evil'")
        }
        let altered = try runWarroom(["report", "1", "--db", "runs.db"], in: folder)
        #expect(altered.status == 1 && altered.err.contains("which is not this run's folder (smoke-s7): pass --out DIR"), "\(altered.err)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("elsewhere").path))
    }

    @Test("Names from a scenario or rule file are text, never markup, in index.html, summary.md and the exported notebook")
    func markupInNames() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try String(contentsOfFile: Repository.smokeScenario, encoding: .utf8)
            .replacingOccurrences(of: "{ name: Alpha, stores: 3 }", with: "{ name: \"<script>alert(1)</script>\", stores: 3 }")
            .replacingOccurrences(of: "- name: North", with: "- name: \"\\\"><img src=x onerror=alert(2)>\"")
        #expect(scenario.contains("<script>") && scenario.contains("<img"))
        try scenario.write(to: folder.appendingPathComponent("evil.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.presets, toPath: folder.appendingPathComponent("rules/presets.yaml").path)
        let run = try runWarroom(["run", "evil.yaml", "--out", "out", "--db", "runs.db", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        let export = try runWarroom(["export", "1", "--db", "runs.db", "--format", "ipynb", "--out", "exp", "--quiet"], in: folder)
        #expect(export.status == 0, "\(export.err)")
        var checked = 0
        for sub in ["out/smoke-s7", "exp"] {
            let enumerator = FileManager.default.enumerator(atPath: folder.appendingPathComponent(sub).path)
            while let name = enumerator?.nextObject() as? String {
                guard [".html", ".md", ".ipynb", ".svg"].contains(where: name.hasSuffix) else { continue }
                let raw = try String(contentsOf: folder.appendingPathComponent(sub).appendingPathComponent(name), encoding: .utf8)
                #expect(!raw.contains("<script") && !raw.contains("<img"), "markup from a name in \(sub)/\(name)")
                checked += 1
            }
        }
        #expect(checked >= 3)
        let page = try String(contentsOf: folder.appendingPathComponent("out/smoke-s7/index.html"), encoding: .utf8)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test("Paths with spaces and non-ASCII names, and missing parents, work; --out onto a file is refused")
    func paths() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try runWarroom(["run", Repository.smokeScenario, "--out", "dir with spaces/报告/new", "--db", "db dir/运行.db", "--quiet"], in: folder)
        #expect(r.status == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("dir with spaces/报告/new/smoke-s7/index.html").path))
        let runs = try runWarroom(["runs", "--db", "db dir/运行.db"], in: folder)
        #expect(runs.status == 0 && runs.out.contains("\tfinished\tsmoke\t"))
        try Data("x\n".utf8).write(to: folder.appendingPathComponent("afile"))
        let ontoFile = try runWarroom(["run", Repository.smokeScenario, "--out", "afile", "--db", "runs.db"], in: folder)
        #expect(ontoFile.status == 1 && ontoFile.err.contains("cannot create") && ontoFile.err.contains("afile"), "\(ontoFile.err)")
        #expect(try String(contentsOf: folder.appendingPathComponent("afile"), encoding: .utf8) == "x\n")
    }

    @Test("warroom run refuses --db pointing at another program's file, and leaves it as it was")
    func foreignStore() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes.txt")
        try Data("my notes\n".utf8).write(to: notes)
        let r = try runWarroom(["run", Repository.smokeScenario, "--out", "out", "--db", "notes.txt"], in: folder)
        #expect(r.status == 1 && r.err == "error: notes.txt is not a run store: it is not a SQLite database; give --db a new file or an existing run store (nothing in it was changed)\n")
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }
}
