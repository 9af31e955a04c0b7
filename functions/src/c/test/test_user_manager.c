/* The request checks, which come before any call to the database service (the call itself is
 * tested against the real service by the JUnit tests). */
#include "call.h"
#include "check.h"

int main(void) {
    CHECK(rejects("POST", "", "", "body"), "empty body");
    CHECK(rejects("POST", "", "[1,2]", "body"), "not an object");
    CHECK(rejects("POST", "", "{\"name\":\"x\",\"email\":{\"a\":1}}", "body"), "nested value");
    CHECK(rejects("POST", "", "{\"name\":\"Ada\"} trailing", "body"), "trailing bytes");
    CHECK(rejects("POST", "", "{\"email\":\"ada@example.org\"}", "name"), "no name");
    CHECK(rejects("POST", "", "{\"name\":\"\",\"email\":\"ada@example.org\"}", "name"), "empty name");
    CHECK(rejects("POST", "", "{\"name\":42,\"email\":\"ada@example.org\"}", "name"), "a number as name");
    CHECK(rejects("POST", "", "{\"name\":\"Ada\"}", "email"), "no email");
    CHECK(rejects("POST", "", "{\"name\":\"Ada\",\"email\":\"ada.example.org\"}", "email"), "email without @");
    return CHECK_DONE("test_user_manager");
}
