# Compiler settings every presentie target takes through presentie_options:
# warnings are errors; sanitizers when PRESENTIE_SANITIZE is on.
add_library(presentie_options INTERFACE)
target_compile_options(presentie_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Werror)
if(PRESENTIE_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(presentie_options INTERFACE ${_san})
  target_link_options(presentie_options INTERFACE ${_san})
endif()
