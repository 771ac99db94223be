// Command ttcface saves one face of a TrueType collection (.ttc) as a
// standalone TrueType font (.ttf). fpdf reads .ttf files only, and the
// WenQuanYi Micro Hei font that covers every character of our letters is
// shipped by Debian as a collection. See internal/pdf/font/README.md.
//
//	go run ./internal/pdf/internal/ttcface -in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc \
//	    -out internal/pdf/font/wqy-microhei.ttf
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	in := flag.String("in", "", "the .ttc file to read")
	out := flag.String("out", "", "the .ttf file to write")
	face := flag.Int("face", 0, "which face to save, counting from 0")
	flag.Parse()
	if err := run(*in, *out, *face); err != nil {
		fmt.Fprintln(os.Stderr, "ttcface:", err)
		os.Exit(1)
	}
}

func run(in, out string, face int) error {
	ttc, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	ttf, err := Extract(ttc, face)
	if err != nil {
		return err
	}
	return os.WriteFile(out, ttf, 0o644)
}
