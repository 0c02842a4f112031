import ArgumentParser
import FieldWork

/// `field=value` as typed on the command line.
extension FieldAssignment: ExpressibleByArgument {
    public static var defaultCompletionKind: CompletionKind { .default }
}
