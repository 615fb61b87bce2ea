import Foundation
import Hummingbird

extension RequestContext {
    /// The path parameter `name`, percent-decoded (`Zo%C3%A9` is `Zoé`); 400 when its
    /// percent-encoding is not valid UTF-8.
    func decodedParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError(status: .badRequest, message: "\(name): not a valid percent-encoded path segment", field: name)
        }
        return decoded
    }
}
