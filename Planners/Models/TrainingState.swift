import EBMCore

/// The training-state conventions of a model file, shared by every trainer that resumes:
/// optimiser moments under `<prefix>.adam.{m,v}.<parameter>`, replay buffers as one tensor of
/// rows with their write count in `info["<key>_seen"]`.
extension TransitionModelBundle {
    /// Stores `optimizer`'s moments for `network`'s trainable parameters.
    mutating func storeOptimizer(_ optimizer: Adam, of network: Network, as prefix: String) {
        let trainable = network.namedParameters.filter(\.parameter.isTrainable)
        let moments = optimizer.state(names: trainable.map(\.name), shapes: trainable.map(\.parameter.value.shape))
        for (key, t) in moments { trainingState["\(prefix).\(key)"] = t }
    }

    /// Restores what `storeOptimizer` stored, or throws when a moment is missing or misshapen.
    func restoreOptimizer(_ optimizer: inout Adam, of network: Network, as prefix: String) throws {
        let names = network.namedParameters.filter(\.parameter.isTrainable).map(\.name)
        var moments: [String: Tensor] = [:]
        for (key, t) in trainingState where key.hasPrefix(prefix + ".") { moments[String(key.dropFirst(prefix.count + 1))] = t }
        for (name, p) in network.namedParameters where p.isTrainable {
            guard moments["adam.m.\(name)"]?.shape == p.value.shape, moments["adam.v.\(name)"]?.shape == p.value.shape else {
                throw TransitionModelError("the model's training state lacks the \(prefix) optimiser moments for \(name)")
            }
        }
        optimizer.restore(moments, names: names)
    }

    /// Stores a FIFO buffer's rows (slot order) and how many rows it has been offered.
    mutating func storeReplay(_ replay: ReplayBuffer, as key: String) {
        if replay.count > 0 {
            trainingState[key] = replay.contents.rows
        }
        info["\(key)_seen"] = "\(replay.seen)"
    }

    /// The FIFO buffer `storeReplay` stored, with the saved buffer's slots, counts and next
    /// write position.
    func restoredReplay(_ key: String, capacity: Int, rowWidth: Int) throws -> ReplayBuffer {
        guard let seenText = info["\(key)_seen"], let seen = Int(seenText), seen >= 0 else {
            throw TransitionModelError("the model has no training state to resume from (it was saved without one)")
        }
        guard let rows = trainingState[key] else {
            guard seen == 0 else { throw TransitionModelError("the model's training state lacks its \(key) buffer") }
            return ReplayBuffer(capacity: capacity, rowWidth: rowWidth, policy: .fifo)
        }
        guard let buffer = ReplayBuffer(capacity: capacity, rowWidth: rowWidth, restoringFIFO: (rows, nil), seen: seen) else {
            throw TransitionModelError("the model's \(key) buffer (\(rows.shape)) does not fit a capacity of \(capacity) rows of \(rowWidth)")
        }
        return buffer
    }
}
