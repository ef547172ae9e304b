package runapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"lanes/core/demo"
)

// parseBody reads a flat JSON object whose values are strings or numbers
// into the name=value pairs demo.Parse takes. Numbers keep their spelling
// (1e8 stays "1e8"), so the demo's own parsing and bounds apply to both
// forms alike. A repeated name, a nested value, true, false, null or
// anything after the object is an error.
func parseBody(r io.Reader) (map[string]string, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, bodyError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("body: want a JSON object, like {\"demo\": \"cpu-sumsq\", \"size\": 1000000}")
	}
	values := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bodyError(err)
		}
		name := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, bodyError(err)
		}
		v, ok := demo.ParamText(raw)
		if !ok {
			return nil, fmt.Errorf("%s: want a string or a number", name)
		}
		if _, dup := values[name]; dup {
			return nil, fmt.Errorf("%s: given twice, want once", name)
		}
		values[name] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("body: something after the JSON object")
	}
	// The page's own parameters may come along: the embed's run message
	// carries the URL's names.
	for _, k := range demo.PageKeys {
		delete(values, k)
	}
	return values, nil
}

func bodyError(err error) error {
	if err == io.EOF {
		return errors.New("body: empty; want a JSON object")
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return fmt.Errorf("body: not valid JSON (%v)", err)
}
