package documents

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSniff(t *testing.T) {
	longText := strings.Repeat("a", 511) + "é and more" // é is cut by the 512-byte head
	cases := []struct {
		name        string
		head        string
		filename    string
		csvExpected bool
		want        string
	}{
		{"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "scan.pdf", false, PDF},
		{"pdf named csv", "%PDF-1.4\n", "report.csv", true, PDF},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.png", false, PNG},
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "photo.jpg", false, JPEG},
		{"jpeg exif", "\xff\xd8\xff\xe1\x00\x18Exif\x00\x00", "IMG_0001.JPG", false, JPEG},
		{"csv by name", "debtor,current\nAcme,100\n", "aging.csv", false, CSV},
		{"csv by name, upper case", "sku;qty\n", `C:\exports\STOCK.CSV`, false, CSV},
		{"csv expected", "debtor,current\n", "export.txt", true, CSV},
		{"csv with BOM", "\ufeffdebtor,current\n", "aging.csv", false, CSV},
		{"text", "Inspection notes: excellent condition.\r\n\tNo rust.\f", "notes.txt", false, Text},
		{"text without a name", "Serial 12345", "", false, Text},
		{"utf-8 text", "Prüfbericht – Zustand: gut", "bericht.txt", false, Text},
		{"long text cut inside a character", longText, "notes.txt", false, Text},
		{"white space only", " \n", "blank.txt", false, Text},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sniff([]byte(tc.head), tc.filename, tc.csvExpected)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestSniffRejects(t *testing.T) {
	cases := []struct {
		name string
		head string
		seen string // in the error's text
	}{
		{"empty", "", "empty"},
		{"byte order mark only", "\ufeff", "empty"},
		{"zip", "PK\x03\x04\x14\x00\x06\x00", "application/zip"},
		{"exe", "MZ\x90\x00\x03\x00\x00\x00\x04\x00", "application/octet-stream"},
		{"elf", "\x7fELF\x02\x01\x01\x00", "application/octet-stream"},
		{"gif", "GIF89a\x01\x00\x01\x00", "image/gif"},
		{"html", "<!DOCTYPE html><html><script>alert(1)</script>", "markup"},
		{"html after space", "\n  <script>alert(1)</script>", "markup"},
		{"html after a byte order mark", "\ufeff<html><body>", "markup"},
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, "markup"},
		{"xml", `<?xml version="1.0"?><a/>`, "markup"},
		{"latin-1 text", "caf\xe9 au lait", "not UTF-8"},
		{"utf-16 text", "\xff\xfeh\x00i\x00", "not UTF-8"},
		{"NUL in text", "debtor,current\x00", "application/octet-stream"},
		{"escape sequence", "ok\x1b[31mred", "binary"},
		{"delete", "ok\x7f", "binary"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sniff([]byte(tc.head), "file.csv", true)
			require.ErrorIs(t, err, ErrUnsupportedType)
			require.Contains(t, err.Error(), tc.seen)
			require.Empty(t, got)
		})
	}
}

func TestSniffReadsOnlyTheHead(t *testing.T) {
	got, err := Sniff([]byte(strings.Repeat("a", 512)+"\x00"), "notes.txt", false)
	require.NoError(t, err)
	require.Equal(t, Text, got)
}
