package web

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongshang/internal/errs"
)

// CheckText refuses text that the two engines would not store alike:
// PostgreSQL rejects a NUL byte (and logs an error) where SQLite keeps it,
// and invalid UTF-8 is refused by one and kept by the other. U+FFFD, the
// character invalid bytes become when JSON is decoded, is refused too, so
// a value is judged the same in a form, a query and a JSON body.
func CheckText(field, v string) error {
	switch {
	case strings.IndexByte(v, 0) >= 0:
		return errs.Field(field, "nul_byte", "%s含有空字符（NUL），请删除后重试", Label(field))
	case !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError):
		return errs.Field(field, "invalid_utf8", "%s含有无效字符（不是合法的UTF-8文本），请检查输入", Label(field))
	}
	return nil
}

// checkValues checks every name and value, in name order.
func checkValues(vs url.Values) error {
	names := make([]string, 0, len(vs))
	for k := range vs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := CheckText(k, k); err != nil {
			return err
		}
		for _, v := range vs[k] {
			if err := CheckText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRequestText checks the query and, for a form body, every form
// value and uploaded file name, before any handler sees them.
func checkRequestText(r *http.Request) error {
	if err := checkValues(r.URL.Query()); err != nil {
		return err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" {
		return nil
	}
	if err := ParseForm(r); err != nil {
		return err
	}
	if err := checkValues(r.PostForm); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		for k, fs := range r.MultipartForm.File {
			for _, f := range fs {
				if err := CheckText(k, f.Filename); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// CheckJSON checks every key and string of a JSON text; the field named
// is the path to it, such as wages[0].period. A text that is not JSON
// passes: its decoding reports the syntax error.
func CheckJSON(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		more, err := checkJSONValue(dec, "")
		if err != nil || !more {
			return err
		}
	}
}

// checkJSONValue checks the next value; more is false at the end of the
// text or at a syntax error.
func checkJSONValue(dec *json.Decoder, path string) (more bool, err error) {
	tok, terr := dec.Token()
	if terr != nil {
		return false, nil
	}
	switch t := tok.(type) {
	case string:
		return true, CheckText(path, t)
	case json.Delim:
		if t == '{' || t == '[' {
			return checkJSONContainer(dec, path, t == '{')
		}
	}
	return true, nil
}

func checkJSONContainer(dec *json.Decoder, path string, object bool) (bool, error) {
	for i := 0; dec.More(); i++ {
		p := path + "[" + strconv.Itoa(i) + "]"
		if object {
			tok, err := dec.Token()
			key, ok := tok.(string)
			if err != nil || !ok {
				return false, nil
			}
			if p = key; path != "" {
				p = path + "." + key
			}
			if err := CheckText(p, key); err != nil {
				return false, err
			}
		}
		if more, err := checkJSONValue(dec, p); err != nil || !more {
			return more, err
		}
	}
	_, err := dec.Token() // the closing delimiter
	return err == nil, nil
}
