import SimulationKernel

extension ChainSimulation {
    /// Runs a message queue's event: hand out messages, expire the oldest, end a blocked producer's wait.
    func handle(_ event: QueueEvent) {
        switch event {
        case .deliveryDue(let queue):
            messageQueues[queue].isDeliveryScheduled = false
            deliverMessages(of: queue)
        case .expiryDue(let queue):
            if messageQueues[queue].expiryScheduledAt <= now { messageQueues[queue].expiryScheduledAt = -1 }
            messageQueues[queue].queue.expire(at: now)
            admitBlockedProducers(of: queue)
            noteQueueLevel(of: queue)
            scheduleExpiry(of: queue)
        case .blockTimedOut(let request, let generation):
            guard isCurrent(request, generation) else { return }
            let instance = requests[request].instance
            let compiled = compiledDependency(instance, Int(requests[request].callDependency))
            messageQueues[compiledDependencies[compiled].queue].queue.blockTimedOut()
            callEnded(request, generation, .timedOut)
        }
    }

    /// A producer's call reaches its message queue: the message is enqueued (the call goes on
    /// after the queue's enqueue latency), rejected (the call is refused), or the producer waits
    /// for room up to the queue's block timeout.
    func publish(_ request: RequestID, generation: UInt32, to queue: MessageQueueID) {
        let producer = MessageQueue.Waiter(request, generation: generation)
        switch messageQueues[queue].queue.publish(producer, at: now) {
        case .enqueued, .enqueuedDroppingOldest:
            eventQueue.schedule(.request(.callSucceeded(request: request, generation: generation)),
                                at: instantNow + Interval(nanoseconds: messageQueues[queue].enqueueLatency))
            scheduleDelivery(of: queue)
            scheduleExpiry(of: queue)
        case .rejected:
            eventQueue.schedule(.request(.callRefused(request: request, generation: generation)), at: instantNow)
        case .blocked:
            let timeout = messageQueues[queue].queue.blockTimeout
            if timeout >= 0 {
                eventQueue.schedule(.queue(.blockTimedOut(request: request, generation: generation)), at: instantNow + Interval(nanoseconds: timeout))
            }
        }
        noteQueueLevel(of: queue)
    }

    /// Hands the oldest waiting messages to free threads of the consumer's entry point, one a
    /// thread, its instances taken in turn; then admits the producers there is room for.
    func deliverMessages(of queue: MessageQueueID) {
        let consumer = messageQueues[queue].consumer
        let entry = Int(messageQueues[queue].entry)
        let instances = services[consumer].instances
        admitBlockedProducers(of: queue)
        while messageQueues[queue].queue.depth > 0 {
            // The next instance, from where the last delivery left off, that is up and has a free thread.
            var chosen = InstanceID.none
            for step in 0..<instances.count {
                let offset = (messageQueues[queue].nextConsumer + step) % instances.count
                let instance = instances.lowerBound.advanced(by: offset)
                guard self.instances[instance].state == .up, !self.instances[instance].isDraining else { continue }
                let pool = entryStates[entrySlot(instance, entry)].pool
                if threadPools[pool].hasFreeThread {
                    chosen = instance
                    messageQueues[queue].nextConsumer = (offset + 1) % instances.count
                    break
                }
            }
            guard !chosen.isNone, let (slot, _) = messageQueues[queue].queue.take(at: now) else { break }
            arrive(at: chosen, entry: entry, origin: .message(of: queue, slot: UInt32(slot)), session: 0)
        }
        admitBlockedProducers(of: queue)
        noteQueueLevel(of: queue)
        scheduleExpiry(of: queue)
    }

    /// A consumer's work on a message ended: a success acknowledges it; a failure (or its
    /// instance's crash) requeues it or dead-letters it. Its thread is free for the next message.
    func messageEnded(_ queue: MessageQueueID, slot: UInt32, outcome: Outcome) {
        if outcome == .success {
            messageQueues[queue].queue.acknowledge(Int32(slot))
        } else {
            _ = messageQueues[queue].queue.fail(Int32(slot), at: now)
            noteQueueLevel(of: queue)
            scheduleExpiry(of: queue)
        }
        scheduleDelivery(of: queue)
    }

    /// Schedules a delivery round now, unless one is pending.
    func scheduleDelivery(of queue: MessageQueueID) {
        guard !messageQueues[queue].isDeliveryScheduled else { return }
        messageQueues[queue].isDeliveryScheduled = true
        eventQueue.schedule(.queue(.deliveryDue(queue: queue)), at: instantNow)
    }

    /// Schedules the expiry of the oldest waiting message, unless an expiry at or before it is pending.
    private func scheduleExpiry(of queue: MessageQueueID) {
        guard let expiry = messageQueues[queue].queue.headExpiry else { return }
        let pending = messageQueues[queue].expiryScheduledAt
        guard pending < 0 || pending > expiry else { return }
        messageQueues[queue].expiryScheduledAt = expiry
        eventQueue.schedule(.queue(.expiryDue(queue: queue)), at: Instant(nanoseconds: max(expiry, now)))
    }

    /// Enqueues the messages of blocked producers while the queue has room; each producer's call
    /// goes on after the enqueue latency.
    private func admitBlockedProducers(of queue: MessageQueueID) {
        guard messageQueues[queue].queue.policy == .block else { return }
        while let producer = messageQueues[queue].queue.admitBlocked(at: now, isCurrent: { isCurrent($0.request, $0.generation) }) {
            // A new generation: the block timeout already scheduled no longer concerns this wait.
            requests[producer.request].generation &+= 1
            let generation = requests[producer.request].generation
            eventQueue.schedule(.request(.callSucceeded(request: producer.request, generation: generation)),
                                at: instantNow + Interval(nanoseconds: messageQueues[queue].enqueueLatency))
            scheduleDelivery(of: queue)
        }
    }

    /// Records that a queue filled, or drained after it filled.
    private func noteQueueLevel(of queue: MessageQueueID) {
        guard let change = messageQueues[queue].queue.takeLevelChange() else { return }
        let spec = messageQueues[queue].spec
        switch change {
        case .filled:
            record(spec.name, "queueFilled", "capacity \(spec.capacity); whenFull \(spec.whenFull.rawValue)", cause: "\(consumerCause(of: queue))")
        case .drained(let since, let rejected, let dropped, let blocked):
            var parts: [EventText] = []
            if rejected > 0 { parts.append("\(rejected) rejected") }
            if dropped > 0 { parts.append("\(dropped) dropped") }
            if blocked > 0 { parts.append("\(blocked) producers blocked") }
            var detail: EventText = "empty \(duration: Interval(nanoseconds: now - since)) after it filled"
            for (index, part) in parts.enumerated() { detail.append(index == 0 ? "; \(part)" : ", \(part)") }
            if !parts.isEmpty { detail.append(" while full") }
            record(spec.name, "queueDrained", detail, cause: "queueFilled")
        }
    }

    /// Why a queue's consumers fall behind: none of them is up, or their threads are all busy.
    private func consumerCause(of queue: MessageQueueID) -> String {
        let consumer = messageQueues[queue].consumer
        let name = services[consumer].spec.name
        return services[consumer].instances.contains { instances[$0].state == .up } ? "threadsExhausted on \(name)" : "instanceCrashed on \(name)"
    }
}
