import Foundation
import Testing
import WarRoomTestSupport
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

    @Test("Cancelling frees a producer waiting for room and tells it to stop")
    func cancel() {
        let queue = BlockingQueue<Int>(capacity: 2)
        let finished = DispatchSemaphore(value: 0)
        let producer = Thread {
            var sent = 0
            while !queue.isCancelled && sent < 1_000_000 { queue.put(sent); sent += 1 }
            queue.close()
            finished.signal()
        }
        producer.start()
        #expect(queue.take() == 0)
        // Let the producer fill the queue again and block on it.
        Thread.sleep(forTimeInterval: 0.05)
        queue.cancel()
        // The producer was blocked on a full queue; it must get out and close within a second.
        let freed = finished.wait(timeout: .now() + 1) == .success
        #expect(freed, "the producer stayed blocked after cancel()")
        if freed { #expect(queue.take() == nil) } else { queue.close() }
    }
}
