// Starts Swagger UI on /docs over this server's OpenAPI document (a file, so the page needs no inline script).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
