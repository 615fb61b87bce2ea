import Engine
import Testing

@Suite struct SchedulerStateMachineTests {
    @Test func drainProcessesBatchesUntilTheQueueIsEmpty() {
        var machine = SchedulerStateMachine(mode: .drain, batchLimit: 512)
        #expect(machine.start() == .processBatch(limit: 512))
        #expect(machine.batchCommitted(count: 512) == .processBatch(limit: 512))
        #expect(machine.batchCommitted(count: 3) == .processBatch(limit: 512))
        #expect(machine.batchCommitted(count: 0) == .stop)
        #expect(machine.isStopped)
    }

    @Test func followWaitsForEventsAndResumesWhenTheyArrive() {
        var machine = SchedulerStateMachine(mode: .follow, batchLimit: 7)
        #expect(machine.start() == .processBatch(limit: 7))
        #expect(machine.batchCommitted(count: 0) == .waitForEvents)
        #expect(machine.eventsArrived() == .processBatch(limit: 7))
        #expect(machine.eventsArrived() == nil, "already processing")
    }

    @Test func stopFinishesTheBatchInHandFirst() {
        var machine = SchedulerStateMachine(mode: .follow, batchLimit: 7)
        _ = machine.start()
        #expect(machine.requestStop() == nil, "a batch is in hand")
        #expect(!machine.isStopped)
        #expect(machine.batchCommitted(count: 7) == .stop)
        #expect(machine.isStopped)
    }

    @Test func stopWhileWaitingStopsAtOnce() {
        var machine = SchedulerStateMachine(mode: .follow, batchLimit: 7)
        _ = machine.start()
        _ = machine.batchCommitted(count: 0)
        #expect(machine.requestStop() == .stop)
    }

    @Test func failedCommitsBackOffThenGiveUp() {
        var machine = SchedulerStateMachine(mode: .drain, batchLimit: 7, maximumFailures: 3)
        _ = machine.start()
        #expect(machine.batchFailed() == .backOff(attempt: 1))
        #expect(machine.backOffElapsed() == .processBatch(limit: 7))
        #expect(machine.batchFailed() == .backOff(attempt: 2))
        #expect(machine.backOffElapsed() == .processBatch(limit: 7))
        #expect(machine.batchFailed() == .fail)
    }

    @Test func aSuccessResetsTheFailureCount() {
        var machine = SchedulerStateMachine(mode: .drain, batchLimit: 7, maximumFailures: 2)
        _ = machine.start()
        #expect(machine.batchFailed() == .backOff(attempt: 1))
        _ = machine.backOffElapsed()
        #expect(machine.batchCommitted(count: 7) == .processBatch(limit: 7))
        #expect(machine.batchFailed() == .backOff(attempt: 1))
    }

    @Test func withoutAFailureBoundTheServiceBacksOffForever() {
        var machine = SchedulerStateMachine(mode: .follow, batchLimit: 7, maximumFailures: nil)
        _ = machine.start()
        for attempt in 1...100 {
            #expect(machine.batchFailed() == .backOff(attempt: attempt))
            #expect(machine.backOffElapsed() == .processBatch(limit: 7))
        }
        #expect(machine.batchCommitted(count: 7) == .processBatch(limit: 7), "and recovers when a commit succeeds")
    }
}
