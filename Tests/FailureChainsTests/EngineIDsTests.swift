import FailureChains
import SimulationKernel
import Testing

/// In tests, a literal names an instance's slot (`admitted: [0, 1, 2]`); the engine's own code
/// has no such conversion, so a bare number never becomes an ID there.
extension InstanceID: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int32) { self.init(rawValue: value) }
}

/// The engine's typed IDs and the tables they index: what an ID costs and what it reaches.
/// (That a request's ID cannot index the instances is checked by the compiler, not here.)
struct EngineIDsTests {
    @Test func `a request's ID is an Int32 and nothing more`() {
        #expect(MemoryLayout<RequestID>.size == 4)
        #expect(MemoryLayout<RequestID>.stride == 4)
        #expect(MemoryLayout<RequestID?>.size == 5)
        // A request's event: the ID and a generation (8 bytes), and the kind's tag.
        #expect(MemoryLayout<ChainSimulation.RequestEvent>.size == 9)
    }

    @Test(arguments: [0, 1, 1023, Int(Int32.max)])
    func `an ID keeps its index from the table to the outside and back`(index: Int) {
        let request = RequestID(index)
        #expect(request.index == index)
        #expect(request.rawValue == Int32(index))
        #expect(RequestID(rawValue: request.rawValue) == request)
    }

    @Test func `appending to a table gives the IDs in order, and the ID reaches its own element`() {
        let table = IDTable<RequestID, Int64>()
        let ids = (0..<40).map { table.append(Int64($0) * 10) }  // past the initial capacity: the table grows
        #expect(ids.map(\.index) == Array(0..<40))
        #expect(Array(table.ids) == ids)
        #expect(table.count == 40 && !table.isEmpty)
        for id in ids { #expect(table[id] == Int64(id.index) * 10) }
    }

    @Test func `an element is written in place through its ID, and through its pointer`() {
        let table = IDTable<RequestID, Int64>(capacity: 4)
        let first = table.append(1)
        let second = table.append(2)
        table[second] += 40
        table.pointer(at: first).pointee = 7
        #expect(table[first] == 7 && table[second] == 42)
        #expect(table.storage[0] == 7 && table.storage[1] == 42)
    }

    @Test func `a kernel waiter and a cache waiter carry a request's ID and its generation`() {
        let request = RequestID(rawValue: 12)
        let waiter = CountedResource.Waiter(request, generation: 3)
        #expect(waiter.id == 12 && waiter.generation == 3 && waiter.request == request)
        let cacheWaiter = Cache.Waiter(request, generation: 5)
        #expect(cacheWaiter.id == 12 && cacheWaiter.generation == 5 && cacheWaiter.request == request)
    }

    @Test func `IDs of different slots differ and hash apart`() {
        let ids = Set((0..<100).map { RequestID($0) })
        #expect(ids.count == 100)
        #expect(RequestID(rawValue: 3) != RequestID(rawValue: 4))
    }

    @Test func `an instance's ID is an Int32, and the instances of a service are a range of them`() {
        #expect(MemoryLayout<InstanceID>.size == 4 && MemoryLayout<InstanceID>.stride == 4)
        let service = InstanceID(10)..<InstanceID(14)
        #expect(service.count == 4)
        #expect(Array(service).map(\.rawValue) == [10, 11, 12, 13])
        #expect(service.lowerBound.distance(to: InstanceID(12)) == 2)
        #expect(service.lowerBound.advanced(by: 3) == InstanceID(13))
        #expect(service.contains(InstanceID(13)) && !service.contains(InstanceID(14)))
    }

    @Test func `no instance is none, and no slot is`() {
        #expect(InstanceID.none.isNone && InstanceID.none.rawValue == -1)
        #expect(!InstanceID(0).isNone)
        #expect(InstanceID(0) < InstanceID(1) && !(InstanceID(1) < InstanceID(1)))
        #expect(Set([InstanceID(1), InstanceID(1), InstanceID(2)]).count == 2)
    }

    @Test func `the instances of one table and the requests of another are found by their own IDs`() {
        let instances = IDTable<InstanceID, String>()
        let requests = IDTable<RequestID, Int>()
        let web = instances.append("web[0]")
        let db = instances.append("db[0]")
        let request = requests.append(7)
        #expect(instances[db] == "db[0]" && instances[web] == "web[0]")
        #expect(requests[request] == 7)
        #expect(Array(instances.ids) == [web, db])
    }

    @Test func `a service's ID is an Int32, and none is the target of a call that is no service's`() {
        #expect(MemoryLayout<ServiceID>.size == 4)
        #expect(ServiceID.none.isNone && !ServiceID(0).isNone)
        #expect(ServiceID(3).index == 3 && ServiceID(rawValue: 3) == ServiceID(3))
        let services = IDTable<ServiceID, String>()
        let web = services.append("web")
        #expect(services[web] == "web" && web.index == 0)
    }

    @Test func `an endpoint's ID is an Int32, and none is the target of a call to a service`() {
        #expect(MemoryLayout<EndpointID>.size == 4)
        #expect(EndpointID.none.isNone && !EndpointID(0).isNone)
        #expect(EndpointID(rawValue: 2).index == 2)
        // The event of an endpoint carries its ID alone.
        #expect(MemoryLayout<ChainSimulation.EndpointEvent>.size == 4)
    }

    @Test func `a thread pool's ID is an Int32, and an instance's pools are places from its first`() {
        #expect(MemoryLayout<ThreadPoolID>.size == 4 && MemoryLayout<ThreadPoolID>.stride == 4)
        let first = ThreadPoolID(rawValue: 6)
        #expect(first.advanced(by: 0) == first)
        #expect(first.advanced(by: 2) == ThreadPoolID(8) && first.advanced(by: 2).index == 8)
        #expect(first.distance(to: ThreadPoolID(9)) == 3)
        #expect(first.distance(to: first.advanced(by: 5)) == 5)
        #expect(ThreadPoolID.none.isNone && !first.isNone)
        let pools = IDTable<ThreadPoolID, Int32>()
        for threads: Int32 in [10, 20, 30] { pools.append(threads) }
        #expect(pools[ThreadPoolID(0).advanced(by: 2)] == 30)
        // The element at an offset of a run is the one its advanced ID reaches, read and written.
        let run = ThreadPoolID(1)
        #expect(pools[run, offset: 1] == pools[run.advanced(by: 1)] && pools[run, offset: 0] == 20)
        pools[run, offset: 1] += 3
        #expect(pools[ThreadPoolID(2)] == 33)
    }

    @Test func `a traffic source's ID is an Int32, and its events carry it alone`() {
        #expect(MemoryLayout<SourceID>.size == 4 && MemoryLayout<SourceID>.stride == 4)
        #expect(SourceID(rawValue: 3).index == 3 && SourceID(3) == SourceID(rawValue: 3))
        #expect(SourceID.none.isNone && !SourceID(0).isNone)
        // A traffic event carries a source's ID or a client's and a token: the event stays 9 bytes.
        #expect(MemoryLayout<ChainSimulation.TrafficEvent>.size <= 9)
        #expect(MemoryLayout<ChainSimulation.Event>.size == 9)
        let sources = IDTable<SourceID, String>()
        let shoppers = sources.append("shoppers"), bots = sources.append("bots")
        #expect(sources[bots] == "bots" && sources[shoppers] == "shoppers" && Array(sources.ids) == [shoppers, bots])
    }

    @Test func `a population's ID is an Int32, and a client's owner is a source or a population in five bytes`() {
        #expect(MemoryLayout<PopulationID>.size == 4 && PopulationID(rawValue: 2).index == 2)
        #expect(MemoryLayout<ClientOwner>.size == 5 && MemoryLayout<ClientOwner>.alignment == 4)
        // The same number names a source or a population, and the owners differ.
        let visitor = ClientOwner.source(SourceID(1)), user = ClientOwner.population(PopulationID(1))
        #expect(visitor != user && visitor == .source(SourceID(rawValue: 1)))
        guard case .population(let population) = user else { Issue.record("a user's owner is a population"); return }
        #expect(population.index == 1)
        let populations = IDTable<PopulationID, String>()
        let shoppers = populations.append("shoppers")
        #expect(populations[shoppers] == "shoppers" && shoppers == PopulationID(0))
    }

    @Test func `a client's ID is an Int32, and a client's event carries it with a token in 8 bytes`() {
        #expect(MemoryLayout<ClientID>.size == 4 && MemoryLayout<ClientID>.stride == 4)
        #expect(ClientID(rawValue: 17).index == 17 && ClientID(17) == ClientID(rawValue: 17))
        #expect(MemoryLayout<ChainSimulation.TrafficEvent>.size == 9)
        let clients = IDTable<ClientID, UInt32>()
        let first = clients.append(1), second = clients.append(2)
        clients[second] &+= 1
        #expect(clients[first] == 1 && clients[second] == 3 && first != second)
    }

    @Test func `a client's and a source's events name them as the model does, and number them as their raw IDs`() {
        let model = SystemModel(name: "m", run: testRun(seconds: 5),
                                services: [ServiceSpec(name: "web", instances: 1, threads: 4, queueCapacity: 10, serviceTime: .constant(0.01))],
                                traffic: [TrafficSourceSpec(name: "shoppers", target: "web", arrivals: .deterministic, profile: .constant(2),
                                                            behaviour: ClientBehaviour(clientTimeout: .seconds(1)))],
                                users: [UserPopulationSpec(name: "staff", target: "web", size: 3, thinkTime: .constant(1))])
        let simulation = ChainSimulation(model: model, sink: RecordingSink())
        _ = simulation.run()
        // The users are the first clients (made at the start), the visitors after them.
        #expect(simulation.componentDescription(of: .traffic(.clientReady(client: ClientID(2)))) == "staff client 2")
        #expect(simulation.componentDescription(of: .traffic(.reloadDue(client: ClientID(3), token: 1))) == "shoppers client 3")
        #expect(simulation.componentDescription(of: .traffic(.arrivalDue(source: SourceID(0)))) == "shoppers")
        #expect(simulation.fingerprintIngredients(of: .traffic(.clientTimeoutDue(client: ClientID(3), token: 9))) == (3, 3))
        #expect(simulation.fingerprintIngredients(of: .traffic(.rateChangeDue(source: SourceID(0)))) == (1, 0))
    }

    @Test func `a dependency slot's ID is an Int32, and an instance's dependencies are slots from its first`() {
        #expect(MemoryLayout<DependencySlotID>.size == 4)
        let first = DependencySlotID(rawValue: 4)
        #expect(first.advanced(by: 1).index == 5 && first.distance(to: DependencySlotID(7)) == 3)
        let pools = IDTable<DependencySlotID, Int?>()
        for size in [nil, 5, nil, 2, 8] as [Int?] { pools.append(size) }
        #expect(pools[DependencySlotID(3)] == 2 && pools[DependencySlotID(2)] == nil)
        #expect(pools[DependencySlotID(3), offset: 1] == 8)
    }

    @Test func `a compiled dependency's ID is an Int32, and a service's dependencies are rows from its first`() {
        #expect(MemoryLayout<CompiledDependencyID>.size == 4 && CompiledDependencyID(rawValue: 2).index == 2)
        let first = CompiledDependencyID(rawValue: 2)
        #expect(first.advanced(by: 1) == CompiledDependencyID(3) && first.distance(to: CompiledDependencyID(4)) == 2)
        #expect(CompiledDependencyID.none.isNone && !first.isNone)
        // Two services' dependencies in one table: the second service's start at its first row.
        let rows = IDTable<CompiledDependencyID, String>()
        for name in ["web.db", "web.search", "api.db", "api.cache"] { rows.append(name) }
        #expect(rows[first] == "api.db" && rows[first, offset: 1] == "api.cache")
        #expect(rows[first, offset: 1] == rows[first.advanced(by: 1)])
    }

    @Test func `a lock's ID is an Int32, and a hold's end carries it with its key in 8 bytes`() {
        #expect(MemoryLayout<LockID>.size == 4 && LockID(rawValue: 1).index == 1)
        #expect(MemoryLayout<ChainSimulation.LockEvent>.size == 8)
        let locks = IDTable<LockID, String>()
        let row = locks.append("row"), table = locks.append("table")
        #expect(locks[table] == "table" && locks[row] == "row" && table == LockID(1))
    }

    @Test func `a fault's ID is an Int32, its events carry it alone, and a replay names it by its number`() {
        #expect(MemoryLayout<FaultID>.size == 4 && FaultID(rawValue: 1).index == 1)
        #expect(MemoryLayout<ChainSimulation.FaultEvent>.size == 5)
        let model = SystemModel(name: "m", run: testRun(seconds: 2),
                                services: [ServiceSpec(name: "web", instances: 1, threads: 4, queueCapacity: 10, serviceTime: .constant(0.01))],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, profile: .constant(2))],
                                faults: [FaultSpec(target: "web", start: .seconds(1), kind: .crash), FaultSpec(target: "web", start: .seconds(1), kind: .crash)])
        let simulation = ChainSimulation(model: model, sink: RecordingSink())
        #expect(simulation.componentDescription(of: .fault(.starts(fault: FaultID(1)))) == "faults[1] crash on web")
        #expect(simulation.fingerprintIngredients(of: .fault(.ends(fault: FaultID(1)))) == (18, 1))
    }

    @Test func `a message queue's ID is an Int32, its events carry it alone, and a replay names it by its number`() {
        #expect(MemoryLayout<MessageQueueID>.size == 4 && MessageQueueID(rawValue: 1).index == 1)
        #expect(MemoryLayout<ChainSimulation.QueueEvent>.size == 9)
        let model = SystemModel(name: "m", run: testRun(seconds: 2),
                                services: [ServiceSpec(name: "workers", instances: 1, threads: 4, queueCapacity: 10, serviceTime: .constant(0.01))],
                                messageQueues: [MessageQueueSpec(name: "orders", capacity: 10, consumer: "workers"),
                                                MessageQueueSpec(name: "refunds", capacity: 10, consumer: "workers")])
        let simulation = ChainSimulation(model: model, sink: RecordingSink())
        #expect(simulation.componentDescription(of: .queue(.deliveryDue(queue: MessageQueueID(1)))) == "refunds")
        #expect(simulation.componentsConcerned(by: .queue(.expiryDue(queue: MessageQueueID(0)))) == ["orders"])
        #expect(simulation.fingerprintIngredients(of: .queue(.deliveryDue(queue: MessageQueueID(1)))) == (31, 1))
        #expect(simulation.fingerprintIngredients(of: .queue(.expiryDue(queue: MessageQueueID(1)))) == (32, 1))
        let queues = IDTable<MessageQueueID, String>()
        let orders = queues.append("orders"), refunds = queues.append("refunds")
        #expect(queues[refunds] == "refunds" && queues[orders] == "orders" && refunds == MessageQueueID(1))
    }

    @Test func `a cache's ID is an Int32, an instance's cache is a slot on from its dependency's first, and its events name the instance`() {
        #expect(MemoryLayout<CacheID>.size == 4 && CacheID(rawValue: 1).index == 1 && CacheID.none.isNone)
        let caches = IDTable<CacheID, String>()
        let first = caches.append("web[0].db")
        caches.append("web[1].db")
        #expect(caches[first.advanced(by: 1)] == "web[1].db" && caches[first, offset: 1] == "web[1].db")
        // A cache's events are a request's: a replay names them by the request's instance, which
        // is also their fingerprint's number (29 and 30), as for every request event.
        let model = SystemModel(name: "m", run: testRun(seconds: 2),
                                services: [ServiceSpec(name: "web", instances: 2, threads: 4, queueCapacity: 10, serviceTime: .constant(0.01))],
                                traffic: [TrafficSourceSpec(name: "t", target: "web", arrivals: .deterministic, profile: .constant(2))])
        let simulation = ChainSimulation(model: model, sink: RecordingSink())
        _ = simulation.run()
        let cpu = simulation.fingerprintIngredients(of: .request(.cpuDone(request: RequestID(0), generation: 0)))
        #expect(simulation.fingerprintIngredients(of: .request(.cacheAnswered(request: RequestID(0), generation: 0))) == (29, cpu.component))
        #expect(simulation.fingerprintIngredients(of: .request(.cacheFailed(request: RequestID(0), generation: 0))) == (30, cpu.component))
        #expect(simulation.componentDescription(of: .request(.cacheAnswered(request: RequestID(0), generation: 0))) == "web[\(cpu.component)] main")
    }

    @Test func `an entry slot's ID is an Int32, and an instance's entry points are slots from its first`() {
        #expect(MemoryLayout<EntrySlotID>.size == 4 && EntrySlotID(rawValue: 3).index == 3)
        let first = EntrySlotID(rawValue: 2)
        #expect(first.advanced(by: 1) == EntrySlotID(3) && first.distance(to: EntrySlotID(5)) == 3)
        let entries = IDTable<EntrySlotID, String>()
        for name in ["web[0].http", "web[0].admin", "web[1].http", "web[1].admin"] { entries.append(name) }
        #expect(entries[first] == "web[1].http" && entries[first, offset: 1] == "web[1].admin")
    }

    @Test func `a step's and an entry point's row's IDs are Int32s, and a row names a run of steps`() {
        #expect(MemoryLayout<StepID>.size == 4 && MemoryLayout<ServiceEntryID>.size == 4)
        #expect(MemoryLayout<(first: StepID, count: Int32)>.size == 8)
        let steps = IDTable<StepID, String>()
        for name in ["cpu", "call db", "cpu", "session", "call search"] { steps.append(name) }
        let rows = IDTable<ServiceEntryID, (first: StepID, count: Int32)>()
        let checkout = rows.append((StepID(0), 2))
        rows.append((StepID(2), 3))
        let (first, count) = rows[checkout, offset: 1]
        #expect(count == 3 && steps[first] == "cpu" && steps[first.advanced(by: 2)] == "call search")
    }
}
