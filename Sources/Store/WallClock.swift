import Engine
import Foundation

/// The wall clock, read by the commands and the services (the engine takes time as a parameter).
package enum WallClock {
    package static var now: Timestamp {
        let seconds = Date().timeIntervalSince1970
        return Timestamp(epochSeconds: Int64(seconds.rounded(.down)))
    }
}
