/// An e-mail to write as MIME: addresses, subject, a text and an HTML body, attachments.
package struct MailMessage: Sendable, Equatable {
    package var from: MailAddress
    package var to: [MailAddress]
    package var subject: String
    package var text: String
    package var html: String
    package var attachments: [MailAttachment]
    /// The Date header, epoch microseconds UTC (injected so output is reproducible).
    package var dateMicros: Int64

    package init(
        from: MailAddress, to: [MailAddress], subject: String, text: String, html: String,
        attachments: [MailAttachment] = [], dateMicros: Int64
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.dateMicros = dateMicros
    }
}

/// `"Display Name" <local@domain>`; the name may be any Unicode, the address must be plain ASCII.
package struct MailAddress: Sendable, Equatable {
    package var name: String?
    package var address: String

    package init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// A file attached to a message, sent base64-encoded.
package struct MailAttachment: Sendable, Equatable {
    package var filename: String
    package var contentType: String
    package var data: [UInt8]

    package init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}
