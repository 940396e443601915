import Testing
import WarRoomTestSupport
import WarRoomLab

@Suite("Fuzzing the decoders")
struct FuzzTests {
    @Test("Mutations of every shipped scenario and rule file decode or give a clear error, never a trap", arguments: Fuzzer.Target.allCases)
    func noCrash(target: Fuzzer.Target) throws {
        let seeds = try Fuzzer.seedFiles(target, root: Repository.root.path)
        let outcome = Fuzzer.run(target, seeds: seeds, iterations: 2_000, seconds: 60, seed: 7)
        #expect(outcome.executions == 2_000)
        #expect(outcome.decoded > 0 && outcome.refused > 0)
        #expect(outcome.decoded + outcome.refused == outcome.executions)
    }
}
