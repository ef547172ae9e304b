package main

import (
	"net/url"
	"strings"
)

// proxied rewrites the targets on other origins to go through the server's
// /proxy: the page may only connect to its own origin (connect-src 'self'),
// and the server fetches the sites it allows on the page's behalf.
func proxied(origin string, targets []string) []string {
	if len(targets) == 0 {
		return targets
	}
	out := make([]string, len(targets))
	for i, t := range targets {
		if strings.HasPrefix(t, origin+"/") {
			out[i] = t
			continue
		}
		out[i] = origin + "/proxy?url=" + url.QueryEscape(t)
	}
	return out
}
