import Foundation
import Forecasting
import Linalg
import Testing
import WarRoomCore

@Suite("The churn table's encoding")
struct ChurnTableTests {
    func table(_ text: String) throws -> CSVTable { try CSVTable.parse(Data(text.utf8), file: "t.csv") }

    @Test("Numbers keep their column, missing ones set to the median and flagged")
    func numeric() throws {
        let t = try table("x,y\n1,0\n,1\n3,0\n10,1\n")
        let encoded = try ChurnTable(encoding: t, skipping: [1])
        #expect(encoded.names == ["x", "x_missing"] && encoded.rows == 4)
        #expect((0..<4).map { encoded.features[$0, 0] } == [1, 3, 3, 10])
        #expect((0..<4).map { encoded.features[$0, 1] } == [0, 1, 0, 0])
        #expect(encoded.columns == [.numeric(column: "x", missing: 1, median: 3)])
    }

    @Test("Categories one-hot against the most frequent level; rare ones pooled, missing ones a level")
    func categorical() throws {
        // 30 rows: A ×14, B ×12, C ×1 (rare), empty ×3 (below the 10 rows a level needs).
        var text = "c,all_missing,y\n"
        for i in 0..<30 { text += "\(i < 14 ? "A" : i < 26 ? "B" : i < 27 ? "C" : ""),,\(i % 2)\n" }
        let encoded = try ChurnTable(encoding: try table(text), skipping: [2])
        #expect(ChurnTable.rareLevelRows(rows: 30) == 10 && ChurnTable.rareLevelRows(rows: 5000) == 50)
        #expect(encoded.names == ["c=B", "c=(other)"])
        #expect(encoded.columns == [
            .categorical(column: "c", levels: 4, reference: "A", pooled: 2, rareRows: 10, missing: 3),
            .leftOut(column: "all_missing"),
        ])
        #expect((0..<30).map { encoded.features[$0, 1] }.reduce(0, +) == 4)
    }

    @Test("No feature column, or a label that is not 0/1, is an input error at its place")
    func errors() throws {
        let t = try table("id,y\na,yes\nb,maybe\n")
        #expect(throws: InputError.self) { try ChurnTable(encoding: t, skipping: [0, 1]) }
        do {
            _ = try ChurnTable.binaryLabels(t, column: 1)
            Issue.record("'maybe' was read as a label")
        } catch let error as InputError {
            #expect(error.location.line == 3 && error.location.column == 2 && error.message.contains("'maybe'"))
        }
        #expect(try ChurnTable.binaryLabels(try table("y\nYes\n0\nfalse\nY\n"), column: 0) == [1, 0, 0, 1])
    }

    @Test("Cross-validated probabilities come from folds the row does not sit in, the same every time")
    func crossValidation() throws {
        var text = "x,y\n"
        for i in 0..<200 { text += "\(i % 10),\(i % 10 >= 5 ? 1 : 0)\n" }
        let t = try table(text)
        let encoded = try ChurnTable(encoding: t, skipping: [1])
        let y = try ChurnTable.binaryLabels(t, column: 1)
        let p = try encoded.crossValidatedProbabilities(labels: y, folds: 5, l2: 1)
        #expect(p.count == 200 && p.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1 })
        #expect(try encoded.crossValidatedProbabilities(labels: y, folds: 5, l2: 1) == p)
        #expect(Set((0..<200).map { ChurnTable.fold(row: $0, folds: 5) }) == [0, 1, 2, 3, 4])
        #expect(zip(p, y).filter { $0.1 == 1 }.allSatisfy { $0.0 > 0.5 })
    }
}

@Suite("Synthetic logistic data")
struct SyntheticLogisticDataTests {
    @Test("The same seed draws the same rows, and a fit recovers the coefficients")
    func recovers() throws {
        let data = SyntheticLogisticData(rows: 20_000, features: 4, seed: 7)
        #expect(data.features.rows == 20_000 && data.features.columns == 4 && data.coefficients.count == 5)
        #expect(SyntheticLogisticData(rows: 20_000, features: 4, seed: 7).labels == data.labels)
        let fit = try data.fit(l2: 1)
        #expect(fit.converged && data.largestZ(of: fit) < 5)
    }
}
