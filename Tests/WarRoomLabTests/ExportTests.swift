import Foundation
import Testing

@Suite("warroom export")
struct ExportTests {
    @Test("A run's tables come out as CSV and NDJSON, every row, truth tables by their own names")
    func export() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runWarroom(["run", smokeScenario, "--out", "out", "--db", "runs.db", "--record-events", "--json"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        let metrics = try jsonObject(run.out)
        let id = try #require((metrics["run"] as? [String: Any])?["id"] as? String)
        let events = try #require((metrics["run"] as? [String: Any])?["events"] as? Int)
        for format in ["csv", "ndjson"] {
            let r = try runWarroom(["export", id, "--db", "runs.db", "--format", format, "--out", "exp", "--json"], in: folder)
            #expect(r.status == 0, "\(r.err)")
            let dir = folder.appendingPathComponent("exp/\(id)-\(format)")
            let lines = try String(contentsOf: dir.appendingPathComponent("events.\(format)"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == events + (format == "csv" ? 1 : 0))
            let sales = try String(contentsOf: dir.appendingPathComponent("store_day_sales.\(format)"), encoding: .utf8).split(separator: "\n")
            #expect(sales.count == 6 * 21 + (format == "csv" ? 1 : 0))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("truth_store_day.\(format)").path))
            if format == "csv" { #expect(sales[0] == "store,day,lines,units,amount_fen,account_lines") }
            if format == "ndjson" { for line in lines.prefix(100) { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]) } }
        }
        let missing = try runWarroom(["export", "no-such-run", "--db", "runs.db"], in: folder)
        #expect(missing.status == 1 && missing.err == "error: no run 'no-such-run' in runs.db\n")
        let bad = try runWarroom(["export", id, "--db", "runs.db", "--format", "xlsx"], in: folder)
        #expect(bad.status == 65)
    }
}
