/* The query parser and the JSON reader every function trusts with untrusted input. */
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"
#include "../common/json.h"
#include "check.h"

int main(void) {
    char v[16];
    CHECK(query_get("a=1&b=two", "b", v, sizeof v) == 1 && strcmp(v, "two") == 0, "second parameter");
    CHECK(query_get("ab=1&a=2", "a", v, sizeof v) == 1 && strcmp(v, "2") == 0, "prefix of another name");
    CHECK(query_get("a=x%20y+z", "a", v, sizeof v) == 1 && strcmp(v, "x y z") == 0, "decoding: %s", v);
    CHECK(query_get("a=%2", "a", v, sizeof v) == -1, "cut escape");
    CHECK(query_get("a=%zz", "a", v, sizeof v) == -1, "bad escape");
    CHECK(query_get("a=%00", "a", v, sizeof v) == -1, "NUL");
    CHECK(query_get("a=0123456789abcdef", "a", v, sizeof v) == -1, "too long for the buffer");
    CHECK(query_get("", "a", v, sizeof v) == 0 && query_get("b=1", "a", v, sizeof v) == 0, "absent");
    CHECK(query_get("a", "a", v, sizeof v) == 1 && v[0] == '\0', "name without value");

    fn_response r = {200, {0}};
    buf_init(&r.body);
    long n;
    CHECK(param_long("n=12", "n", 5, 1, 100, &n, &r) == 0 && n == 12, "valid");
    CHECK(param_long("", "n", 5, 1, 100, &n, &r) == 0 && n == 5, "default");
    const char *bad[] = {"n=0", "n=101", "n=1x", "n=", "n=99999999999999999999", "n=+", "n=%41"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        buf_free(&r.body);
        r.status = 200;
        CHECK(param_long(bad[i], "n", 5, 1, 100, &n, &r) == -1 && r.status == 400 &&
                  strstr(r.body.data, "\"parameter\":\"n\""),
              "%s must be refused naming n", bad[i]);
    }
    buf_free(&r.body);

    CHECK(json_valid("{\"a\":[1,2.5e3,-0,true,false,null,\"x\\u00e9\"]}", 37) == 0, "cut document");
    const char *good = " {\"a\":[1,2.5e3,-0,true,false,null,\"x\\u00e9\\ud83d\\ude00\"],\"b\":{}} ";
    CHECK(json_valid(good, strlen(good)), "valid document");
    const char *invalid[] = {"", "{", "[1,]", "{\"a\"}", "01", "1.", "\"\\x\"", "\"\\ud800\"", "tru", "{} {}",
                             "\"a\nb\""};
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++)
        CHECK(!json_valid(invalid[i], strlen(invalid[i])), "invalid: %s", invalid[i]);
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    CHECK(!json_valid(deep, 200), "nesting deeper than JSON_MAX_DEPTH is refused, not recursed into");

    const char *utf8_bad[] = {"\"\xff\"", "\"\xc3\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\""};
    for (size_t i = 0; i < sizeof utf8_bad / sizeof *utf8_bad; i++)
        CHECK(!json_valid(utf8_bad[i], strlen(utf8_bad[i])), "malformed UTF-8 %zu in a string", i);
    CHECK(json_valid("\"\xc3\xa9\xd0\x96\xe2\x82\xac\xf0\x9f\x98\x80\"", 13), "well-formed UTF-8");

    buf out;
    buf_init(&out);
    buf_json_string(&out, "a\"\\\n\xc3\xa9\xff\xc3", 8);
    CHECK(strcmp(out.data, "\"a\\\"\\\\\\u000a\xc3\xa9\\ufffd\\ufffd\"") == 0, "escaped: %s", out.data);
    CHECK(json_valid(out.data, out.len), "what buf_json_string writes is JSON");
    buf_free(&out);

    json_member m[4];
    char err[128];
    const char *obj = "{\"name\":\"Ada \\\"L\\\"\",\"age\":36,\"ok\":true,\"none\":null}";
    int count = json_flat_object(obj, strlen(obj), m, 4, err, sizeof err);
    CHECK(count == 4, "flat object: %d %s", count, err);
    CHECK(count == 4 && strcmp(m[0].value, "Ada \"L\"") == 0 && m[0].kind == JSON_STRING, "string member");
    CHECK(count == 4 && strcmp(m[1].value, "36") == 0 && m[1].kind == JSON_NUMBER, "number member");
    CHECK(count == 4 && m[2].kind == JSON_TRUE && m[3].kind == JSON_NULL, "literal members");
    const char *flat_bad[] = {"[]", "{\"a\":{}}", "{\"a\":1,\"a\":2}", "{\"a\":1} x", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}",
                              "{\"a\" 1}", "{1:2}"};
    for (size_t i = 0; i < sizeof flat_bad / sizeof *flat_bad; i++)
        CHECK(json_flat_object(flat_bad[i], strlen(flat_bad[i]), m, 4, err, sizeof err) == -1, "refused: %s",
              flat_bad[i]);
    return CHECK_DONE("test_common");
}
