import Testing
import WarRoomCore

@Suite("Counter-based random streams")
struct RandomStreamTests {
    @Test("A stream is a pure function of its key")
    func determinism() {
        var a = RandomStream(seed: 42, stream: .storeSales, entity: 7, day: 3)
        var b = RandomStream(seed: 42, stream: .storeSales, entity: 7, day: 3)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
        var c = RandomStream(seed: 42, stream: .storeSales, entity: 8, day: 3)
        var d = RandomStream(seed: 42, stream: .storeSales, entity: 7, day: 4)
        var e = RandomStream(seed: 43, stream: .storeSales, entity: 7, day: 3)
        var f = RandomStream(seed: 42, stream: .storeInventory, entity: 7, day: 3)
        let first = RandomStream(seed: 42, stream: .storeSales, entity: 7, day: 3)
        var g = first
        let x = g.next()
        #expect(c.next() != x)
        #expect(d.next() != x)
        #expect(e.next() != x)
        #expect(f.next() != x)
    }

    @Test("Uniform draws have mean 1/2 and variance 1/12")
    func uniformMoments() {
        var rng = RandomStream(seed: 1, stream: .storeSales, entity: 0)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n { let u = rng.uniform(); sum += u; sumSq += u * u; #expect(u >= 0 && u < 1) }
        let mean = sum / Double(n), variance = sumSq / Double(n) - mean * mean
        #expect(abs(mean - 0.5) < 0.003)
        #expect(abs(variance - 1.0 / 12) < 0.002)
    }

    @Test("below(n) is uniform over 0..<n", arguments: [1, 3, 7, 100])
    func belowIsUniform(n: Int) {
        var rng = RandomStream(seed: 9, stream: .repDay, entity: UInt64(n))
        var counts = [Int](repeating: 0, count: n)
        let draws = 20_000 * n
        for _ in 0..<draws { counts[rng.below(n)] += 1 }
        for c in counts { #expect(abs(Double(c) / 20_000 - 1) < 0.05) }
    }

    @Test("Poisson draws have the right mean and variance", arguments: [0.3, 3.0, 9.9, 10.0, 47.5, 400.0])
    func poissonMoments(lambda: Double) {
        var rng = RandomStream(seed: 5, stream: .storeSales, entity: UInt64(lambda * 10))
        let n = 100_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n { let k = Double(rng.poisson(lambda)); sum += k; sumSq += k * k }
        let mean = sum / Double(n), variance = sumSq / Double(n) - mean * mean
        // Standard error of the mean is sqrt(λ/n); allow 4 of them, and 3% on the variance.
        #expect(abs(mean - lambda) < 4 * (lambda / Double(n)).squareRoot())
        #expect(abs(variance / lambda - 1) < 0.03)
    }

    @Test("Poisson with a non-positive mean is 0")
    func poissonDegenerate() {
        var rng = RandomStream(seed: 5, stream: .storeSales, entity: 1)
        #expect(rng.poisson(0) == 0)
        #expect(rng.poisson(-1) == 0)
        #expect(rng.poisson(.nan) == 0)
    }

    @Test("Exponential and lognormal draws have mean 1")
    func meanOne() {
        var rng = RandomStream(seed: 3, stream: .customerProfile, entity: 11)
        let n = 200_000
        var e = 0.0, l = 0.0
        for _ in 0..<n { e += rng.exponential(); l += rng.lognormalMeanOne(sigma: 0.5) }
        #expect(abs(e / Double(n) - 1) < 0.01)
        #expect(abs(l / Double(n) - 1) < 0.01)
    }
}
