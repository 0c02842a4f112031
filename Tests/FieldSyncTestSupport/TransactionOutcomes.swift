import GRDB

/// The outcomes of the same statements run inside a write transaction and outside one: the
/// stores step their statements through SQLite's C interface inside a transaction and through
/// GRDB outside it (`DirectStatement`), and both paths must give the same rows and errors.
public enum TransactionOutcomes {
    /// Each case's outcome, `run`'s text or `error CODE` for the `DatabaseError` it threw, first
    /// inside a transaction of `queue` and then outside one. `cases` makes the cases of each
    /// pass (`true`: inside), so the two can write different keys.
    public static func inAndOut<Case>(
        _ queue: DatabaseQueue, cases: (_ inTransaction: Bool) -> [Case], run: (Database, Case) throws -> String
    ) throws -> (inside: [String], outside: [String]) {
        func outcomes(_ db: Database, inTransaction: Bool) throws -> [String] {
            guard db.isInsideTransaction == inTransaction else { throw WrongTransactionState(expected: inTransaction) }
            return cases(inTransaction).map { item in
                do {
                    return try run(db, item)
                } catch let error as DatabaseError {
                    return "error \(error.resultCode)"
                } catch {
                    return "error \(type(of: error))"
                }
            }
        }
        let inside = try queue.write { db in try outcomes(db, inTransaction: true) }
        let outside = try queue.writeWithoutTransaction { db in try outcomes(db, inTransaction: false) }
        return (inside, outside)
    }

    struct WrongTransactionState: Error {
        var expected: Bool
    }
}
