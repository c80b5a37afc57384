// ops/handle.hpp: a C object is freed once, by its own function, unless released.
#include <ops/handle.hpp>

#include <catch2/catch.hpp>

#include <utility>

namespace {

struct Widget {
  int id;
};

int g_freed = 0;
int g_last_freed = 0;

// Shaped like a C library's free function, returning a status nobody reads.
int widget_free(Widget* w) {
  ++g_freed;
  g_last_freed = w->id;
  delete w;
  return 0;
}

using WidgetHandle = ops::Handle<Widget, widget_free>;

}  // namespace

TEST_CASE("handle: frees its object once, with the library's function") {
  g_freed = 0;
  {
    WidgetHandle h(new Widget{7});
    WidgetHandle moved = std::move(h);
    CHECK(moved->id == 7);
  }
  CHECK(g_freed == 1);
  CHECK(g_last_freed == 7);
}

TEST_CASE("handle: an empty handle frees nothing; reset frees the old object at once") {
  g_freed = 0;
  {
    WidgetHandle none;
    WidgetHandle h(new Widget{1});
    h.reset(new Widget{2});
    CHECK(g_freed == 1);
    CHECK(g_last_freed == 1);
  }
  CHECK(g_freed == 2);
  CHECK(g_last_freed == 2);
}

TEST_CASE("handle: a released object is the caller's to free") {
  g_freed = 0;
  Widget* raw = nullptr;
  {
    WidgetHandle h(new Widget{3});
    raw = h.release();
  }
  CHECK(g_freed == 0);
  widget_free(raw);
  CHECK(g_freed == 1);
}

TEST_CASE("handle: as small as the pointer it owns") {
  STATIC_REQUIRE(sizeof(WidgetHandle) == sizeof(Widget*));
}
