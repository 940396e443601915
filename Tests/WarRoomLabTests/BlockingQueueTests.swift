import Foundation
import Testing
@testable import WarRoomLab

@Suite("Blocking queue between a producer and a consumer thread")
struct BlockingQueueTests {
    @Test("Items arrive whole and in order through a bound smaller than the stream, and take returns nil once closed and empty")
    func orderAndBound() {
        let queue = BlockingQueue<[Int]>(capacity: 100)
        let producer = Thread {
            for i in 0..<1_000 { queue.put(Array(repeating: i, count: 1 + i % 7), weight: 1 + i % 7) }
            queue.close()
        }
        producer.start()
        var expected = 0
        var ok = true
        while let batch = queue.take() {
            ok = ok && batch.count == 1 + expected % 7 && batch.allSatisfy { $0 == expected }
            expected += 1
        }
        #expect(ok && expected == 1_000)
        #expect(queue.take() == nil)
    }

    @Test("An item heavier than the capacity still goes through when the queue is empty")
    func oversized() {
        let queue = BlockingQueue<Int>(capacity: 10)
        queue.put(1, weight: 50)
        queue.close()
        #expect(queue.take() == 1 && queue.take() == nil)
    }
}
