import Foundation

/// One check `probe` made.
package struct ProbeStep: Sendable, Equatable {
    package var ok: Bool
    package var message: String
}

extension S3Store {
    /// What `homebase doctor` checks of a bucket: the credentials are accepted and the endpoint
    /// answers (a one-key listing), and the key may write, read back and delete a small probe
    /// object under the prefix. Stops at the first failure; each failing step says the fix. The
    /// probe object is named `.homebase-probe-<time>-<pid>` so it cannot collide with real data.
    package func probe(nowMicros: Int64) -> [ProbeStep] {
        var steps = [ProbeStep(ok: true, message: "\(location): \(client.configuration)")]
        let probeName = ".homebase-probe-\(nowMicros)-\(getpid())"
        let body = Data("homebase doctor probe \(nowMicros)\n".utf8)
        do {
            _ = try client.list(bucket: bucket, prefix: key(".homebase-probe-"), pageSize: 1)
            steps.append(ProbeStep(ok: true, message: "\(location): credentials accepted, bucket reachable and listable"))
        } catch {
            steps.append(ProbeStep(ok: false, message: "\(error)"))
            return steps
        }
        do {
            try client.put(bucket: bucket, key: key(probeName), data: body, contentType: "text/plain")
            let read = try client.getData(bucket: bucket, key: key(probeName))
            guard read == body else {
                steps.append(
                    ProbeStep(
                        ok: false,
                        message:
                            "\(location.url(ofKey: key(probeName))): read back \(read.count) bytes that differ from the \(body.count) written; fix: check the endpoint is a faithful S3 implementation"
                    ))
                try? client.delete(bucket: bucket, key: key(probeName))
                return steps
            }
            steps.append(ProbeStep(ok: true, message: "\(location): can write and read back objects"))
        } catch {
            steps.append(ProbeStep(ok: false, message: "\(error)"))
            return steps
        }
        do {
            try client.delete(bucket: bucket, key: key(probeName))
            guard try client.head(bucket: bucket, key: key(probeName)) == nil else {
                steps.append(
                    ProbeStep(
                        ok: false,
                        message:
                            "\(location.url(ofKey: key(probeName))): still there after DeleteObject; fix: allow s3:DeleteObject (prune needs it) or check object lock settings"
                    ))
                return steps
            }
            steps.append(ProbeStep(ok: true, message: "\(location): can delete objects (prune works)"))
        } catch {
            steps.append(ProbeStep(ok: false, message: "\(error)"))
        }
        return steps
    }
}
