package documents

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"
)

// Accepted media types.
const (
	PDF  = "application/pdf"
	PNG  = "image/png"
	JPEG = "image/jpeg"
	CSV  = "text/csv"
	Text = "text/plain"
)

// ErrUnsupportedType is the error of [Sniff] for a file that is none of
// the accepted types. It is wrapped with what the file looked like.
var ErrUnsupportedType = errors.New("unsupported file type")

// sniffLen is how many of a file's first bytes Sniff reads.
const sniffLen = 512

// Sniff decides a file's media type from its first bytes (it reads at most
// 512) and its name: [PDF], [PNG] or [JPEG] by their magic numbers; UTF-8
// text without control characters (other than tab, line feed, carriage
// return and form feed) is [CSV] when filename ends in ".csv" (any case) or
// csvExpected, else [Text]. Text that starts with '<' (HTML, XML, SVG) is
// refused, as is anything else, and an empty file: the error wraps
// [ErrUnsupportedType].
func Sniff(head []byte, filename string, csvExpected bool) (string, error) {
	head = head[:min(len(head), sniffLen)]
	detected, _, _ := strings.Cut(http.DetectContentType(head), ";")
	switch detected {
	case PDF, PNG, JPEG:
		return detected, nil
	}

	body := bytes.TrimPrefix(head, []byte(utf8BOM))
	if len(body) == 0 {
		return "", fmt.Errorf("%w: the file is empty", ErrUnsupportedType)
	}
	if t := bytes.TrimLeft(body, " \t\r\n\f"); len(t) > 0 && t[0] == '<' {
		return "", fmt.Errorf("%w: markup (HTML, XML or SVG)", ErrUnsupportedType)
	}
	if detected, _, _ = strings.Cut(http.DetectContentType(body), ";"); detected != Text {
		return "", fmt.Errorf("%w: %s", ErrUnsupportedType, detected)
	}
	if !utf8.Valid(trimPartialRune(body)) {
		return "", fmt.Errorf("%w: text that is not UTF-8", ErrUnsupportedType)
	}
	if hasControl(body) {
		return "", fmt.Errorf("%w: binary data", ErrUnsupportedType)
	}
	if csvExpected || strings.EqualFold(path.Ext(strings.ReplaceAll(filename, `\`, "/")), ".csv") {
		return CSV, nil
	}
	return Text, nil
}

const utf8BOM = "\uFEFF"

// trimPartialRune drops a multi-byte character cut by the end of b.
func trimPartialRune(b []byte) []byte {
	for k := 1; k <= utf8.UTFMax && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return b[:len(b)-k]
			}
			break
		}
	}
	return b
}

// hasControl reports whether b holds an ASCII control character other than
// the white space of text files.
func hasControl(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f {
			return true
		}
	}
	return false
}
