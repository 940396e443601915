import Foundation

/// A bounded first-in first-out queue between one producer thread and one consumer thread:
/// `put` waits while the queue holds `capacity` weight, `take` waits while it is empty and
/// returns nil once the producer has closed it and everything was taken.
final class BlockingQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(element: Element, weight: Int)] = []
    private var head = 0
    private var weight = 0
    private var closed = false
    private var cancelled = false
    private let capacity: Int

    /// A queue holding at most `capacity` weight (one oversized item is still let through).
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Appends an item, waiting for room.
    func put(_ element: Element, weight w: Int = 1) {
        condition.lock()
        while weight > 0 && weight + w > capacity && !closed && !cancelled { condition.wait() }
        guard !cancelled else { condition.unlock(); return }
        items.append((element, w))
        weight += w
        condition.broadcast()
        condition.unlock()
    }

    /// No more items will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up: items put from now on are dropped at once, so the producer never
    /// waits, and `isCancelled` tells it to stop.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        weight = 0
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the consumer gave up.
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The next item, waiting for one; nil when the queue is closed and empty.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head == items.count || head > 1024 {
            items.removeFirst(head)
            head = 0
        }
        weight -= item.weight
        condition.broadcast()
        return item.element
    }
}
